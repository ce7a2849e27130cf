// SQL of the SQLite engine for technical-problem reports (support tickets).
#pragma once

namespace masthead::store::sqlite::sql {

#define MASTHEAD_TICKET_COLUMNS                                                              \
  "id, status, article, problem, steps, email, env_device, env_os, env_browser, env_screen," \
  " env_window, env_timezone, env_language, env_detected, env_user_agent, env_client_hints,"  \
  " network, created_at, updated_at, closed_at, closed_by"
inline constexpr char kInsertSupportTicket[] =
    "INSERT INTO support_tickets (article, problem, steps, email, env_device, env_os, env_browser,"
    " env_screen, env_window, env_timezone, env_language, env_detected, env_user_agent,"
    " env_client_hints, network, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)"
    " RETURNING " MASTHEAD_TICKET_COLUMNS;
inline constexpr char kFindSupportTicket[] =
    "SELECT " MASTHEAD_TICKET_COLUMNS " FROM support_tickets WHERE id = ?1";
inline constexpr char kListSupportTickets[] =
    "SELECT " MASTHEAD_TICKET_COLUMNS " FROM support_tickets"
    " WHERE (?1 = '' OR status = ?1) AND id < ?2 AND (?4 = '' OR lower(email) = lower(?4))"
    " ORDER BY id DESC LIMIT ?3";
inline constexpr char kCloseSupportTicket[] =
    "UPDATE support_tickets SET status = 'closed', closed_at = ?2, closed_by = ?3, updated_at = ?2"
    " WHERE id = ?1 RETURNING " MASTHEAD_TICKET_COLUMNS;
inline constexpr char kReopenSupportTicket[] =
    "UPDATE support_tickets SET status = 'open', closed_at = NULL, closed_by = NULL, updated_at = ?2"
    " WHERE id = ?1 RETURNING " MASTHEAD_TICKET_COLUMNS;
#undef MASTHEAD_TICKET_COLUMNS

}  // namespace masthead::store::sqlite::sql
