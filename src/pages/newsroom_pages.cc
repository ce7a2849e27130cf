#include "pages/newsroom_pages.h"

#include "accounts/crypto.h"
#include "base/time.h"
#include "http/status.h"
#include "moderation/moderation_desk.h"
#include "newsroom/dashboard.h"
#include "pages/reader_form.h"

namespace masthead::pages {
namespace {

std::string Get(const std::map<std::string, std::string, std::less<>>& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// "3 h 20 min", "2 days 4 h", "12 min": how long something waited.
std::string Duration(UnixSeconds seconds) {
  if (seconds < 0) seconds = -seconds;
  const UnixSeconds days = seconds / 86400, hours = (seconds % 86400) / 3600, minutes = (seconds % 3600) / 60;
  if (days > 0) return std::to_string(days) + (days == 1 ? " day" : " days") + (hours ? " " + std::to_string(hours) + " h" : "");
  if (hours > 0) return std::to_string(hours) + " h" + (minutes ? " " + std::to_string(minutes) + " min" : "");
  return std::to_string(minutes) + " min";
}

std::string ClockText(UnixSeconds t) { return FormatRfc3339(t).substr(11, 5) + " UTC"; }

std::string CommentStatusText(store::CommentStatus status) {
  switch (status) {
    case store::CommentStatus::kPublished: return "published";
    case store::CommentStatus::kHeld: return "held";
    case store::CommentStatus::kRejected: return "rejected";
    case store::CommentStatus::kDeleted: return "deleted";
  }
  return "held";
}

http::Response SeeOther(const std::string& location) { return http::Response::Redirect(303, location); }

// The inbox's filter as a query string, to come back to the same view.
std::string FilterQuery(const newsroom::InboxFilter& filter) {
  std::string query;
  auto add = [&](const std::string& key, const std::string& value) {
    if (value.empty()) return;
    query += (query.empty() ? "?" : "&") + key + "=" + http::PercentEncode(value);
  };
  add("queue", filter.queue);
  add("section", filter.section);
  add("desk", filter.desk);
  add("unclaimed", filter.unclaimed_only ? "1" : "");
  return query;
}

constexpr const char* kRoles[] = {"reader", "moderator", "editor", "admin"};

}  // namespace

http::Response NewsroomPages::Page(int status, WebContext& context, const std::string& title,
                                   const std::string& name, Data& data) {
  web_.EnsureCsrf(context);
  data.set("csrf", context.csrf);
  Data layout = site_.LayoutData(title + " · " + site_.options().title, "");
  if (context.viewer) SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(status, RenderPage(name, data, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

// --- The inbox -------------------------------------------------------------------

http::Response NewsroomPages::Inbox(const http::Request& request) {
  WebContext context = web_.Load(request);
  const auto query = http::ParseForm(request.query);
  const newsroom::InboxFilter filter = newsroom::InboxFilterFrom(query);
  const UnixSeconds now = NowSeconds();
  auto views = inbox_.Load(*context.viewer, filter, now);
  if (!views && views.error().code == ErrorCode::kNotFound) {
    return site_.Error(404, "No such desk", "There is no desk \"" + filter.desk + "\": choose one from the inbox's list.");
  }
  auto sections = store_.ListSections();
  auto desks = store_.ListDesks();
  if (!views || !sections || !desks) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  const std::string done = Get(query, "done");
  if (done == "claimed") data.set("notice", "Claimed: the others see that you are working on it.");
  if (done == "released") data.set("notice", "Released: someone else may take it now.");
  data.set("back", FilterQuery(filter));
  // The summary's links to one queue keep the section or desk chosen.
  const std::string scope = FilterQuery({.section = filter.section, .desk = filter.desk});
  data.set("scope", scope.empty() ? scope : "&" + scope.substr(1));
  if (filter.unclaimed_only) data.set("unclaimed_only", true);

  Data queue_options{Data::type::list};
  Data summary{Data::type::list};
  Data queues{Data::type::list};
  int total = 0;
  for (const auto& view : *views) {
    const newsroom::InboxQueue& queue = *view.queue;
    Data option;
    option.set("key", queue.key);
    option.set("label", queue.label);
    if (filter.queue == queue.key) option.set("selected", true);
    queue_options.push_back(option);
    Data line;
    line.set("key", queue.key);
    line.set("label", queue.label);
    line.set("page", queue.page);
    line.set("waiting", std::to_string(view.waiting));
    line.set("overdue", std::to_string(view.overdue));
    line.set("claimed", std::to_string(view.claimed));
    line.set("hours", std::to_string(view.response_hours));
    if (view.overdue > 0) line.set("has_overdue", true);
    summary.push_back(line);
    total += view.waiting;
    if (view.entries.empty()) continue;
    Data shown;
    shown.set("key", queue.key);
    shown.set("label", queue.label);
    shown.set("page", queue.page);
    shown.set("count", std::to_string(view.entries.size()));
    shown.set("hours", std::to_string(view.response_hours));
    Data entries{Data::type::list};
    for (const auto& entry : view.entries) {
      Data e;
      e.set("queue", queue.key);
      e.set("id", std::to_string(entry.item.id));
      e.set("title", entry.item.title);
      e.set("detail", entry.item.detail);
      e.set("href", entry.item.href);
      if (!entry.section_name.empty()) e.set("section", entry.section_name);
      if (!entry.article_headline.empty()) e.set("headline", entry.article_headline);
      e.set("age", Duration(entry.age_seconds));
      if (entry.due_in_seconds < 0) {
        e.set("overdue", "overdue by " + Duration(entry.due_in_seconds));
      } else {
        e.set("due", "answer within " + Duration(entry.due_in_seconds));
      }
      if (entry.claim) {
        const bool mine = entry.claim->user_id == context.viewer->user.id;
        e.set("claimed_by", mine ? std::string("you") : entry.claim->user_name);
        e.set("claimed_until", ClockText(entry.claim->expires_at));
        if (mine) e.set("can_release", true);
      } else {
        e.set("can_claim", true);
      }
      entries.push_back(e);
    }
    shown.set("entries", entries);
    queues.push_back(shown);
  }
  Data section_options{Data::type::list};
  for (const auto& section : *sections) {
    Data option;
    option.set("slug", section.slug);
    option.set("name", section.name);
    if (filter.section == section.slug) option.set("selected", true);
    section_options.push_back(option);
  }
  Data desk_options{Data::type::list};
  for (const auto& desk : *desks) {
    Data option;
    option.set("slug", desk.slug);
    option.set("name", desk.name);
    if (filter.desk == desk.slug) option.set("selected", true);
    desk_options.push_back(option);
  }
  data.set("desk_options", desk_options);
  data.set("total", std::to_string(total));
  data.set("queue_options", queue_options);
  data.set("section_options", section_options);
  data.set("summary", summary);
  data.set("queues", queues);
  if (queues.is_empty_list()) data.set("empty", true);
  data.set("claim_minutes", std::to_string(inbox_.options().claim_minutes));
  return Page(200, context, "Newsroom inbox", "staff_inbox", data);
}

http::Response NewsroomPages::Claim(const http::Request& request) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  const std::string queue = Get(input, "queue");
  const auto item = ParseId(Get(input, "item"));
  const std::string action = Get(input, "action");
  if (!item || (action != "claim" && action != "release")) {
    return site_.Error(400, "Not claimed", "The form was incomplete: reload the inbox and try again.");
  }
  const std::string back_query = Get(input, "back");
  const newsroom::InboxFilter filter =
      newsroom::InboxFilterFrom(http::ParseForm(back_query.empty() ? back_query : back_query.substr(1)));
  std::string back = FilterQuery(filter);
  back += (back.empty() ? "?" : "&") + std::string("done=") + (action == "claim" ? "claimed" : "released");
  if (action == "claim") {
    auto claimed = inbox_.Claim(*context.viewer, queue, *item, NowSeconds());
    if (!claimed) {
      return site_.Error(http::StatusOfError(claimed.error().code), "Not claimed", claimed.error().message + ".");
    }
  } else if (auto released = inbox_.Release(*context.viewer, queue, *item); !released) {
    return site_.Error(http::StatusOfError(released.error().code), "Not released", released.error().message + ".");
  }
  return SeeOther("/staff/inbox" + back + "#item-" + queue + "-" + std::to_string(*item));
}

// --- The dashboard ---------------------------------------------------------------

http::Response NewsroomPages::Dashboard(const http::Request& request) {
  WebContext context = web_.Load(request);
  const auto query = http::ParseForm(request.query);
  int days = dashboard_days_;
  if (auto asked = ParseId(Get(query, "days")); asked && *asked >= 1 && *asked <= 365) days = static_cast<int>(*asked);
  auto charts = newsroom::BuildDashboard(store_, NowSeconds(), days);
  if (!charts) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  data.set("days", std::to_string(days));
  Data periods{Data::type::list};
  for (int choice : {1, 7, 30, 90}) {
    Data period;
    period.set("days", std::to_string(choice));
    period.set("label", choice == 1 ? std::string("last day") : "last " + std::to_string(choice) + " days");
    if (choice == days) period.set("current", true);
    periods.push_back(period);
  }
  data.set("periods", periods);
  Data list{Data::type::list};
  for (const auto& chart : *charts) {
    Data item;
    item.set("id", chart.id);
    item.set("title", chart.title);
    item.set("svg", newsroom::RenderBarChart(chart));
    list.push_back(item);
  }
  data.set("charts", list);
  return Page(200, context, "Dashboard", "staff_dashboard", data);
}

// --- Users -----------------------------------------------------------------------

http::Response NewsroomPages::Users(const http::Request& request) {
  WebContext context = web_.Load(request);
  const auto query = http::ParseForm(request.query);
  const std::string q = Get(query, "q");
  std::string role = Get(query, "role");
  Data data;
  data.set("q", q);
  auto found = users_.Search(q, role);
  if (!found) {
    if (found.error().code != ErrorCode::kInvalidArgument) {
      return site_.Error(503, "Something went wrong", "Please try again in a moment.");
    }
    data.set("error", found.error().message);
  }
  Data roles{Data::type::list};
  for (const char* name : kRoles) {
    Data option;
    option.set("name", std::string(name));
    if (role == name) option.set("selected", true);
    roles.push_back(option);
  }
  data.set("roles", roles);
  Data rows{Data::type::list};
  if (found) {
    for (const auto& user : *found) {
      Data row;
      row.set("id", std::to_string(user.id));
      row.set("name", user.display_name);
      row.set("email", user.email);
      row.set("role", user.role);
      row.set("since", FormatLongDate(user.created_at));
      rows.push_back(row);
    }
  }
  data.set("users", rows);
  data.set("has_users", !rows.is_empty_list());
  return Page(200, context, "Users", "staff_users", data);
}

http::Response NewsroomPages::User(const http::Request& request, std::int64_t user_id) {
  WebContext context = web_.Load(request);
  auto history = users_.History(user_id);
  if (!history) {
    if (history.error().code == ErrorCode::kNotFound) return site_.NotFound();
    return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  }
  const store::User& user = history->user;
  const bool admin = accounts::HasRole(context.viewer->role, accounts::Role::kAdmin);
  const auto query = http::ParseForm(request.query);
  Data data;
  const std::string done = Get(query, "done");
  if (done == "role") data.set("notice", "The role was changed.");
  if (done == "delete") data.set("notice", "The account will be deleted when the grace period ends.");
  if (done == "keep") data.set("notice", "The deletion was cancelled: the account stays.");
  data.set("id", std::to_string(user.id));
  data.set("name", user.display_name);
  data.set("email", user.email);
  data.set("role", user.role);
  data.set("since", FormatLongDate(user.created_at));
  data.set("confirmed", user.email_confirmed_at ? std::string("yes") : std::string("no"));
  if (admin) data.set("admin", true);
  Data roles{Data::type::list};
  for (const char* name : kRoles) {
    Data option;
    option.set("name", std::string(name));
    if (user.role == name) option.set("selected", true);
    roles.push_back(option);
  }
  data.set("roles", roles);
  if (history->deletion) {
    if (history->deletion->completed_at) {
      data.set("deleted", "Deleted and anonymised on " + moderation::MomentText(*history->deletion->completed_at) + ".");
    } else {
      data.set("deletion_pending", "Deletion requested on " + moderation::MomentText(history->deletion->requested_at) +
                                       "; final on " + moderation::MomentText(history->deletion->final_at) +
                                       " unless the reader logs in before then.");
    }
  } else if (user.role == "reader") {
    data.set("can_delete", true);
  }
  data.set("grace_days", std::to_string(users_.options().deletion_grace_days));
  std::map<std::int64_t, std::string> headlines;
  Data comments{Data::type::list};
  for (const auto& c : history->comments) {
    Data row;
    row.set("id", std::to_string(c.id));
    row.set("when", moderation::MomentText(c.created_at));
    row.set("status", CommentStatusText(c.status));
    std::string text = c.body_markdown.substr(0, 200);
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80)) text.pop_back();
    row.set("text", text.size() < c.body_markdown.size() ? text + "…" : text);
    auto headline = headlines.find(c.article_id);
    if (headline == headlines.end()) {
      auto article = store_.FindArticle({.id = c.article_id, .include_unpublished = true});
      headline = headlines.emplace(c.article_id, article ? article->fields.headline : std::string()).first;
    }
    row.set("article", headline->second);
    comments.push_back(row);
  }
  data.set("comments", comments);
  data.set("has_comments", !comments.is_empty_list());
  Data reports{Data::type::list};
  for (const auto& r : history->reports) {
    Data row;
    row.set("comment_id", std::to_string(r.comment_id));
    row.set("reason", r.reason);
    row.set("detail", r.detail);
    row.set("when", moderation::MomentText(r.created_at));
    row.set("state", r.resolved_at ? std::string("resolved") : std::string("open"));
    reports.push_back(row);
  }
  data.set("reports", reports);
  data.set("has_reports", !reports.is_empty_list());
  Data sanctions{Data::type::list};
  for (const auto& s : history->sanctions) {
    Data row;
    row.set("kind", s.kind);
    row.set("when", moderation::MomentText(s.created_at));
    row.set("until", s.ends_at ? moderation::MomentText(*s.ends_at) : std::string("-"));
    row.set("reason", moderation::ClauseCitation(s.reason_code));
    if (s.lifted_at) row.set("lifted", true);
    sanctions.push_back(row);
  }
  data.set("sanctions", sanctions);
  data.set("has_sanctions", !sanctions.is_empty_list());
  return Page(200, context, "User " + user.display_name, "staff_user", data);
}

http::Response NewsroomPages::Download(const std::string& json, std::int64_t user_id) {
  http::Response response = http::Response::Json(200, json);
  response.SetHeader("Content-Disposition", "attachment; filename=\"masthead-data-" + std::to_string(user_id) + "-" +
                                                FormatIsoDate(NowSeconds()) + ".json\"");
  response.SetHeader("Cache-Control", "private, no-store");
  return response;
}

http::Response NewsroomPages::UserAction(const http::Request& request, std::int64_t user_id,
                                         const std::string& action) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  const std::string page = "/staff/users/" + std::to_string(user_id);
  if (action == "export") {
    auto json = users_.Export(*context.viewer, user_id);
    if (!json) return site_.Error(http::StatusOfError(json.error().code), "Not exported", json.error().message + ".");
    return Download(*json, user_id);
  }
  Status done = Ok();
  if (action == "role") {
    auto changed = users_.ChangeRole(*context.viewer, user_id, Get(input, "role"));
    if (!changed) done = tl::unexpected(changed.error());
  } else if (action == "delete") {
    auto requested = users_.RequestDeletion(*context.viewer, user_id);
    if (!requested) done = tl::unexpected(requested.error());
  } else {
    done = users_.CancelDeletion(*context.viewer, user_id);
  }
  if (!done) return site_.Error(http::StatusOfError(done.error().code), "Not changed", done.error().message + ".");
  return SeeOther(page + "?done=" + action);
}

// --- A reader's own data -----------------------------------------------------------

http::Response NewsroomPages::RenderMyData(int status, WebContext& context, const std::string& error) {
  Data data;
  if (!error.empty()) data.set("error", error);
  data.set("exports_per_day", std::to_string(users_.options().exports_per_day));
  data.set("grace_days", std::to_string(users_.options().deletion_grace_days));
  if (context.viewer->user.role != "reader") data.set("staff", true);
  return Page(status, context, "Your data", "account_data", data);
}

http::Response NewsroomPages::MyData(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account/data");
  return RenderMyData(200, context, "");
}

http::Response NewsroomPages::MyExport(const http::Request& request) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  auto json = users_.Export(*context.viewer, context.viewer->user.id);
  if (!json) {
    return RenderMyData(http::StatusOfError(json.error().code), context, json.error().message + ".");
  }
  return Download(*json, context.viewer->user.id);
}

http::Response NewsroomPages::MyDelete(const http::Request& request) {
  WebContext context;
  Form input;
  if (auto refused = OpenReaderForm(web_, site_, request, context, input)) return *refused;
  // The password again: a session left open on a shared computer must not be
  // enough to delete an account.
  if (!accounts::VerifyPassword(context.viewer->user.password_hash, Get(input, "password"))) {
    return RenderMyData(403, context, "That is not your password: your account was not deleted.");
  }
  auto deletion = users_.RequestDeletion(*context.viewer, context.viewer->user.id);
  if (!deletion) return RenderMyData(http::StatusOfError(deletion.error().code), context, deletion.error().message + ".");
  // Logged out first, so that the page shows the visitor as such.
  http::Response logged_out;
  web_.EndSession(logged_out, context);
  Data data;
  data.set("final", moderation::MomentText(deletion->final_at));
  http::Response response = Page(200, context, "Account deletion", "account_deleted", data);
  for (auto& header : logged_out.headers) response.headers.push_back(std::move(header));
  return response;
}

}  // namespace masthead::pages
