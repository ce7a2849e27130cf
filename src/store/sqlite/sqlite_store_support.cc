// The SQLite engine's technical-problem reports (support tickets).
#include <limits>

#include "store/sqlite/statements_support.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

SupportTicket ReadTicket(const Statement& s) {
  SupportTicket t;
  t.id = s.Int(0);
  t.status = s.Text(1);
  t.article = s.Text(2);
  t.problem = s.Text(3);
  t.steps = s.Text(4);
  t.email = s.Text(5);
  t.environment.device = s.Text(6);
  t.environment.os = s.Text(7);
  t.environment.browser = s.Text(8);
  t.environment.screen = s.Text(9);
  t.environment.window = s.Text(10);
  t.environment.timezone = s.Text(11);
  t.environment.language = s.Text(12);
  t.environment.detected = s.Text(13);
  t.environment.user_agent = s.Text(14);
  t.environment.client_hints = s.Text(15);
  t.network = s.Text(16);
  t.created_at = s.Int(17);
  t.updated_at = s.Int(18);
  t.closed_at = s.OptionalInt(19);
  t.closed_by = s.OptionalInt(20);
  return t;
}

// The one row a statement returns; kNotFound when it returns none.
Result<SupportTicket> ReadOne(Statement& s, std::int64_t id) {
  auto row = s.Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no support ticket " + std::to_string(id));
  SupportTicket ticket = ReadTicket(s);
  // Step to the end so that an UPDATE ... RETURNING has run to completion.
  auto done = s.Step();
  if (!done) return tl::unexpected(done.error());
  return ticket;
}

}  // namespace

Result<SupportTicket> SqliteStore::CreateSupportTicket(const CreateSupportTicketRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<SupportTicket> {
    auto statement = connection.Prepare(sql::kInsertSupportTicket);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    const SupportEnvironment& env = request.environment;
    s.Bind(1, request.article);
    s.Bind(2, request.problem);
    s.Bind(3, request.steps);
    s.Bind(4, request.email);
    s.Bind(5, env.device);
    s.Bind(6, env.os);
    s.Bind(7, env.browser);
    s.Bind(8, env.screen);
    s.Bind(9, env.window);
    s.Bind(10, env.timezone);
    s.Bind(11, env.language);
    s.Bind(12, env.detected);
    s.Bind(13, env.user_agent);
    s.Bind(14, env.client_hints);
    s.Bind(15, request.network);
    s.Bind(16, request.now);
    return ReadOne(s, 0);
  });
}

Result<SupportTicket> SqliteStore::FindSupportTicket(std::int64_t id) {
  return WithConnection([&](Connection& connection) -> Result<SupportTicket> {
    auto statement = connection.Prepare(sql::kFindSupportTicket);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, id);
    return ReadOne(**statement, id);
  });
}

Result<std::vector<SupportTicket>> SqliteStore::ListSupportTickets(const ListSupportTicketsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<SupportTicket>> {
    auto statement = connection.Prepare(sql::kListSupportTickets);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.status);
    s.Bind(2, request.before_id.value_or(std::numeric_limits<std::int64_t>::max()));
    s.Bind(3, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    s.Bind(4, request.email);
    std::vector<SupportTicket> tickets;
    for (;;) {
      auto row = s.Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return tickets;
      tickets.push_back(ReadTicket(s));
    }
  });
}

Result<SupportTicket> SqliteStore::SetSupportTicketStatus(const SetSupportTicketStatusRequest& request) {
  const char* sql = request.status == "closed" ? sql::kCloseSupportTicket
                    : request.status == "open" ? sql::kReopenSupportTicket
                                               : nullptr;
  if (sql == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "a ticket is open or closed", "status");
  }
  return WithWrite([&](Connection& connection) -> Result<SupportTicket> {
    auto statement = connection.Prepare(sql);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.id);
    s.Bind(2, request.now);
    if (request.status == "closed") {
      s.Bind(3, request.by_user_id > 0 ? std::optional<std::int64_t>(request.by_user_id) : std::nullopt);
    }
    return ReadOne(s, request.id);
  });
}

}  // namespace masthead::store::sqlite
