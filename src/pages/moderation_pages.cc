#include "pages/moderation_pages.h"

#include "pages/reader_form.h"

#include <algorithm>
#include <map>

#include "articles/markdown.h"
#include "http/status.h"

namespace masthead::pages {
namespace {

using store::CommentStatus;

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

std::string StatusText(CommentStatus status) {
  switch (status) {
    case CommentStatus::kPublished: return "published";
    case CommentStatus::kHeld: return "held";
    case CommentStatus::kRejected: return "rejected";
    case CommentStatus::kDeleted: return "deleted";
  }
  return "held";
}

// How the log and a reader's record name an action.
std::string ActionText(const std::string& action) {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"approve", "approved"}, {"reject", "rejected"}, {"report_hold", "held after readers' reports"},
      {"warning", "warning"}, {"suspension", "suspension"}, {"ban", "ban"}, {"note", "note written"},
      {"appeal_upheld", "appeal declined"}, {"appeal_overturned", "appeal accepted"},
      {"role_change", "role changed"}};
  auto found = names.find(action);
  return found == names.end() ? action : found->second;
}

bool Appealable(const std::string& action) {
  return action == "reject" || action == "warning" || action == "suspension" || action == "ban";
}

constexpr char kQueues[][2][20] = {
    {"pending", "Pending"}, {"reported", "Reported"}, {"decided", "Recently decided"}, {"appeals", "Appeals"}};

Data ClauseOptions() {
  Data clauses{Data::type::list};
  for (const auto& info : moderation::AllClauses()) {
    Data item;
    item.set("slug", std::string(info.slug));
    item.set("label", "Rule " + std::to_string(info.number) + ": " + std::string(info.name));
    clauses.push_back(item);
  }
  return clauses;
}

Data ActionData(const store::ModerationAction& a) {
  Data d;
  d.set("id", std::to_string(a.id));
  d.set("when", moderation::MomentText(a.created_at));
  d.set("when_iso", FormatRfc3339(a.created_at));
  d.set("actor", a.actor_id == 0 ? std::string("automatic") : a.actor_name);
  d.set("action", ActionText(a.action));
  if (a.comment_id) d.set("comment_id", std::to_string(*a.comment_id));
  if (a.subject_user_id) {
    d.set("subject_id", std::to_string(*a.subject_user_id));
    d.set("subject", a.subject_name);
  }
  if (!a.reason_code.empty()) d.set("reason", moderation::ClauseCitation(a.reason_code));
  if (!a.detail.empty()) d.set("detail", a.detail);
  return d;
}

http::Response SeeOther(const std::string& location) { return http::Response::Redirect(303, location); }

}  // namespace

std::optional<http::Response> ModerationPages::GenuineForm(const http::Request& request, WebContext& context,
                                                          Form& input) {
  return OpenReaderForm(web_, site_, request, context, input);
}

http::Response ModerationPages::Page(WebContext& context, const std::string& template_name, Data& data,
                                     const std::string& title, int status, bool keyboard) {
  Data layout = site_.LayoutData(title + " · " + site_.options().title, "");
  if (context.viewer) SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  if (keyboard) layout.set("page_script", "moderation.js");
  http::Response response = http::Response::Html(status, RenderPage(template_name, data, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

Data ModerationPages::CommentItem(const store::Comment& c) {
  Data d;
  d.set("id", std::to_string(c.id));
  d.set("author", c.author_name);
  d.set("author_id", std::to_string(c.author_id));
  d.set("created_text", moderation::MomentText(c.created_at));
  d.set("status", StatusText(c.status));
  d.set("body_html", articles::RenderMarkdown(c.body_markdown, true));
  if (auto article = store_.FindArticle({.id = c.article_id, .include_unpublished = true})) {
    d.set("slug", article->fields.slug);
    d.set("headline", article->fields.headline);
  }
  // The thread around it: the comment that opened the thread and the one it answers.
  Data context{Data::type::list};
  std::vector<std::int64_t> above;
  if (c.depth > 0) above.push_back(c.thread_id);
  if (c.parent_id && *c.parent_id != c.thread_id) above.push_back(*c.parent_id);
  for (std::int64_t id : above) {
    auto found = store_.FindComment(id);
    if (!found) continue;
    Data item;
    item.set("label", id == c.thread_id ? "Thread opened by " + found->author_name
                                        : "In reply to " + found->author_name);
    item.set("body_html", found->status == CommentStatus::kDeleted
                              ? std::string("<p>(deleted)</p>")
                              : articles::RenderMarkdown(found->body_markdown, true));
    context.push_back(item);
  }
  if (!above.empty()) d.set("has_context", true);
  d.set("context", context);
  return d;
}

// --- Readers ------------------------------------------------------------------

http::Response ModerationPages::RenderReport(WebContext& context, std::int64_t comment_id,
                                             const std::string& error, const std::string& notice,
                                             const Form& input, int status) {
  auto comment = store_.FindComment(comment_id);
  if (!comment || comment->status == CommentStatus::kDeleted || comment->status == CommentStatus::kRejected) {
    return site_.NotFound();
  }
  Data data = CommentItem(*comment);
  data.set("csrf", context.csrf);
  if (!error.empty()) data.set("error", error);
  if (!notice.empty()) {
    data.set("notice", notice);
  } else {
    data.set("show_form", true);
  }
  Data reasons{Data::type::list};
  for (const auto& info : moderation::ReportReasons()) {
    Data item;
    item.set("slug", std::string(info.slug));
    item.set("label", std::string(info.label));
    if (Get(input, "reason") == info.slug) item.set("checked", true);
    reasons.push_back(item);
  }
  data.set("reasons", reasons);
  data.set("detail", Get(input, "detail"));
  return Page(context, "report", data, "Report a comment", status);
}

http::Response ModerationPages::ReportForm(const http::Request& request, std::int64_t comment_id) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/comments/" + std::to_string(comment_id) + "/report");
  return RenderReport(context, comment_id, "", "", {}, 200);
}

http::Response ModerationPages::Report(const http::Request& request, std::int64_t comment_id) {
  WebContext context;
  Form input;
  if (auto refused = GenuineForm(request, context, input)) return *refused;
  auto outcome = desk_.Report(*context.viewer, comment_id, Get(input, "reason"), Get(input, "detail"));
  if (!outcome) {
    const Error& error = outcome.error();
    if (error.code == ErrorCode::kNotFound) return site_.NotFound();
    if (error.code == ErrorCode::kAlreadyExists) {
      return RenderReport(context, comment_id, "", "You already reported this comment: thank you.", input, 409);
    }
    return RenderReport(context, comment_id, error.message, "", input, http::StatusOfError(error.code));
  }
  return RenderReport(context, comment_id, "",
                      "Thank you: a moderator will look at this comment against the Community Guidelines.",
                      input, 200);
}

http::Response ModerationPages::RenderMyRecord(WebContext& context, const std::string& error,
                                               const std::string& notice, int status) {
  auto record = desk_.RecordOf(context.viewer->user.id);
  if (!record) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data data;
  data.set("csrf", context.csrf);
  if (!error.empty()) data.set("error", error);
  if (!notice.empty()) data.set("notice", notice);
  if (record->in_force) {
    data.set("in_force", record->in_force->kind == "ban"
                             ? std::string("Your account is banned from posting")
                             : "Your account is suspended from posting until " +
                                   moderation::MomentText(record->in_force->ends_at.value_or(0)));
    data.set("in_force_reason", moderation::ClauseCitation(record->in_force->reason_code));
  }
  std::map<std::int64_t, const store::Appeal*> appeal_of;
  for (const auto& appeal : record->appeals) appeal_of[appeal.action_id] = &appeal;
  Data decisions{Data::type::list};
  for (const auto& action : record->decisions) {
    Data d = ActionData(action);
    if (action.comment_id) {
      if (auto comment = store_.FindComment(*action.comment_id)) d.set("excerpt", comment->body_markdown);
    }
    auto appeal = appeal_of.find(action.id);
    if (appeal != appeal_of.end()) {
      d.set("appeal_status", appeal->second->status == "open" ? std::string("your appeal awaits a moderator")
                                                              : "your appeal was " +
                                                                    std::string(appeal->second->status == "overturned"
                                                                                    ? "accepted"
                                                                                    : "declined"));
    } else if (Appealable(action.action)) {
      d.set("can_appeal", true);
      d.set("csrf", context.csrf);
    }
    decisions.push_back(d);
  }
  if (record->decisions.empty()) data.set("none", true);
  data.set("decisions", decisions);
  return Page(context, "my_moderation", data, "Moderation decisions", status);
}

http::Response ModerationPages::MyRecord(const http::Request& request) {
  WebContext context = web_.Load(request);
  if (!context.viewer) return SeeOther("/login?next=/account/moderation");
  return RenderMyRecord(context, "", "", 200);
}

http::Response ModerationPages::Appeal(const http::Request& request) {
  WebContext context;
  Form input;
  if (auto refused = GenuineForm(request, context, input)) return *refused;
  auto action_id = ParseId(Get(input, "action_id"));
  if (!action_id) return RenderMyRecord(context, "Choose a decision to appeal.", "", 400);
  auto appeal = desk_.Appeal(*context.viewer, *action_id, Get(input, "body"));
  if (!appeal) {
    return RenderMyRecord(context, appeal.error().message, "", http::StatusOfError(appeal.error().code));
  }
  return RenderMyRecord(context, "", "Your appeal was sent. A moderator who did not make the decision will decide it, and you will be told by mail.", 200);
}

// --- Staff ------------------------------------------------------------------------

http::Response ModerationPages::Queue(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form query = http::ParseForm(request.query);
  std::string queue = Get(query, "queue");
  if (queue != "reported" && queue != "decided" && queue != "appeals") queue = "pending";
  Data data;
  data.set("csrf", context.csrf);
  data.set("queue", queue);
  if (Get(query, "done") == "1") data.set("notice", "Done. The next comment is below.");

  auto held = store_.ListCommentsWithStatus(CommentStatus::kHeld, 100);
  auto reported = store_.ListReportedComments(100);
  auto appeals = store_.ListOpenAppeals(100);
  if (!held || !reported || !appeals) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data tabs{Data::type::list};
  for (const auto& [key, label] : kQueues) {
    Data tab;
    tab.set("key", std::string(key));
    tab.set("label", std::string(label));
    if (queue == key) tab.set("current", true);
    const std::string k = key;
    if (k == "pending") tab.set("count", " (" + std::to_string(held->size()) + ")");
    if (k == "reported") tab.set("count", " (" + std::to_string(reported->size()) + ")");
    if (k == "appeals") tab.set("count", " (" + std::to_string(appeals->size()) + ")");
    tabs.push_back(tab);
  }
  data.set("tabs", tabs);

  Data items{Data::type::list};
  auto decidable = [&](Data& item) {
    item.set("can_decide", true);
    item.set("csrf", context.csrf);
    item.set("queue", queue);
    item.set("clauses", ClauseOptions());
  };
  if (queue == "pending") {
    for (const auto& c : *held) {
      Data item = CommentItem(c);
      decidable(item);
      items.push_back(item);
    }
  } else if (queue == "reported") {
    for (const auto& r : *reported) {
      Data item = CommentItem(r.comment);
      Data reports;
      reports.set("count", std::to_string(r.open_reports));
      reports.set("reasons", r.reasons);
      if (!r.details.empty()) reports.set("details", r.details);
      item.set("reports", reports);
      decidable(item);
      items.push_back(item);
    }
  } else if (queue == "decided") {
    auto decided = store_.ListModerationActions({.decisions_only = true, .limit = 50});
    if (!decided) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
    for (const auto& action : *decided) {
      if (!action.comment_id) continue;
      auto comment = store_.FindComment(*action.comment_id);
      if (!comment) continue;
      Data item = CommentItem(*comment);
      item.set("decided", ActionData(action));
      items.push_back(item);
    }
  } else {
    for (const auto& appeal : *appeals) {
      auto action = store_.FindModerationAction(appeal.action_id);
      if (!action) continue;
      Data item;
      if (action->comment_id) {
        if (auto comment = store_.FindComment(*action->comment_id)) item = CommentItem(*comment);
      }
      item.set("appeal_id", std::to_string(appeal.id));
      item.set("appeal_text", appeal.body);
      item.set("decided", ActionData(*action));
      if (action->actor_id == context.viewer->user.id) {
        item.set("own_decision", true);
      } else {
        item.set("can_decide_appeal", true);
        item.set("csrf", context.csrf);
      }
      items.push_back(item);
    }
  }
  if (items.is_empty_list()) data.set("empty", true);
  data.set("items", items);
  return Page(context, "moderation_queue", data, "Moderation", 200, true);
}

http::Response ModerationPages::Decide(const http::Request& request, std::int64_t comment_id) {
  WebContext context;
  Form input;
  if (auto refused = GenuineForm(request, context, input)) return *refused;
  const std::string decision = Get(input, "decision");
  if (decision != "approve" && decision != "reject") {
    return site_.Error(400, "Not decided", "Choose Approve or Reject.");
  }
  moderation::CommentDecision request_decision{comment_id, decision == "approve", Get(input, "clause"),
                                               Get(input, "sanction") == "1", Get(input, "note")};
  auto outcome = desk_.Decide(*context.viewer, request_decision);
  if (!outcome) {
    return site_.Error(http::StatusOfError(outcome.error().code), "Not decided", outcome.error().message);
  }
  std::string queue = Get(input, "queue");
  if (queue != "reported" && queue != "decided") queue = "pending";
  return SeeOther("/staff/moderation?queue=" + queue + "&done=1");
}

http::Response ModerationPages::DecideAppeal(const http::Request& request, std::int64_t appeal_id) {
  WebContext context;
  Form input;
  if (auto refused = GenuineForm(request, context, input)) return *refused;
  const std::string outcome_name = Get(input, "outcome");
  if (outcome_name != "overturn" && outcome_name != "uphold") {
    return site_.Error(400, "Not decided", "Choose whether to accept or decline the appeal.");
  }
  auto decided = desk_.DecideAppeal(*context.viewer, appeal_id, outcome_name == "overturn", Get(input, "note"));
  if (!decided) {
    return site_.Error(http::StatusOfError(decided.error().code), "Not decided", decided.error().message);
  }
  return SeeOther("/staff/moderation?queue=appeals&done=1");
}

http::Response ModerationPages::Reader(const http::Request& request, std::int64_t user_id) {
  WebContext context = web_.Load(request);
  auto user = store_.FindUser({.id = user_id});
  if (!user) return site_.NotFound();
  auto notes = store_.ListModeratorNotes(user_id);
  auto sanctions = store_.ListSanctions(user_id);
  auto actions = store_.ListModerationActions({.subject_user_id = user_id, .limit = 100});
  auto comments = store_.CountPublishedCommentsBy(user_id);
  if (!notes || !sanctions || !actions || !comments) {
    return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  }
  Data data;
  data.set("id", std::to_string(user_id));
  data.set("name", user->display_name);
  data.set("since", FormatLongDate(user->created_at));
  data.set("comments", std::to_string(*comments));
  data.set("csrf", context.csrf);
  if (auto active = desk_.InForce(*sanctions)) {
    data.set("in_force", active->kind == "ban" ? std::string("banned")
                                               : "suspended until " + moderation::MomentText(*active->ends_at));
  }
  Data sanction_rows{Data::type::list};
  for (const auto& s : *sanctions) {
    Data row;
    row.set("kind", s.kind);
    row.set("when", moderation::MomentText(s.created_at));
    row.set("until", s.ends_at ? moderation::MomentText(*s.ends_at) : std::string("-"));
    row.set("reason", moderation::ClauseCitation(s.reason_code));
    if (s.lifted_at) row.set("lifted", true);
    sanction_rows.push_back(row);
  }
  data.set("sanctions", sanction_rows);
  data.set("has_sanctions", !sanctions->empty());
  Data note_rows{Data::type::list};
  for (const auto& n : *notes) {
    Data row;
    row.set("author", n.author_name);
    row.set("when", moderation::MomentText(n.created_at));
    row.set("body", n.body);
    note_rows.push_back(row);
  }
  data.set("notes", note_rows);
  Data action_rows{Data::type::list};
  for (const auto& a : *actions) action_rows.push_back(ActionData(a));
  data.set("actions", action_rows);
  data.set("has_actions", !actions->empty());
  return Page(context, "moderation_reader", data, "Reader " + user->display_name);
}

http::Response ModerationPages::AddNote(const http::Request& request, std::int64_t user_id) {
  WebContext context;
  Form input;
  if (auto refused = GenuineForm(request, context, input)) return *refused;
  auto note = desk_.AddNote(*context.viewer, user_id, Get(input, "body"));
  if (!note) return site_.Error(http::StatusOfError(note.error().code), "The note was not saved", note.error().message);
  return SeeOther("/staff/moderation/readers/" + std::to_string(user_id));
}

http::Response ModerationPages::Log(const http::Request& request) {
  WebContext context = web_.Load(request);
  const Form query = http::ParseForm(request.query);
  store::ListModerationActionsRequest list{.limit = 100};
  if (auto before = ParseId(Get(query, "before"))) list.before_id = *before;
  auto actions = store_.ListModerationActions(list);
  if (!actions) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  Data rows{Data::type::list};
  for (const auto& a : *actions) rows.push_back(ActionData(a));
  Data data;
  data.set("actions", rows);
  if (actions->size() == static_cast<std::size_t>(list.limit)) {
    data.set("older_url", "/staff/moderation/log?before=" + std::to_string(actions->back().id));
  }
  return Page(context, "moderation_log", data, "Moderation log");
}

// --- Public -----------------------------------------------------------------------

http::Response ModerationPages::Transparency(const http::Request& request) {
  WebContext context = web_.Load(request);
  // This month and the eleven before it, each whole: from the 1st of the month
  // eleven months back.
  const std::string today = FormatIsoDate(desk_.Now());
  int year = std::stoi(today.substr(0, 4));
  int month = std::stoi(today.substr(5, 2)) - 11;
  if (month < 1) {
    month += 12;
    --year;
  }
  const std::string first_day = std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month) + "-01T00:00:00Z";
  auto counts = store_.DecisionsPerMonth(ParseDateTime(first_day).value_or(0));
  if (!counts) return site_.Error(503, "Something went wrong", "Please try again in a moment.");
  // month -> (label -> count), and the labels in first-seen order.
  std::map<std::string, std::map<std::string, int>> by_month;
  std::vector<std::string> labels;
  for (const auto& c : *counts) {
    std::string label = ActionText(c.action);
    if (!c.reason_code.empty()) label += " (" + moderation::ClauseCitation(c.reason_code) + ")";
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    by_month[c.month][label] += c.count;
  }
  Data data;
  Data header{Data::type::list};
  for (const auto& label : labels) {
    Data cell;
    cell.set("label", label);
    header.push_back(cell);
  }
  data.set("labels", header);
  Data months{Data::type::list};
  int max_total = 1;
  for (const auto& [month, cells] : by_month) {
    int total = 0;
    for (const auto& [label, count] : cells) total += count;
    max_total = std::max(max_total, total);
  }
  // The bar chart: one bar per month, its height the month's total (server-drawn SVG, no script).
  constexpr int kChartHeight = 160, kBarWidth = 36, kGap = 14;
  Data bars{Data::type::list};
  int index = 0;
  for (const auto& [month, cells] : by_month) {
    Data row;
    row.set("month", month);
    Data values{Data::type::list};
    int total = 0;
    for (const auto& label : labels) {
      Data cell;
      auto found = cells.find(label);
      const int count = found == cells.end() ? 0 : found->second;
      total += count;
      cell.set("count", std::to_string(count));
      values.push_back(cell);
    }
    row.set("values", values);
    row.set("total", std::to_string(total));
    months.push_back(row);
    Data bar;
    const int height = total * kChartHeight / max_total;
    bar.set("x", std::to_string(kGap + index * (kBarWidth + kGap)));
    bar.set("y", std::to_string(20 + kChartHeight - height));
    bar.set("width", std::to_string(kBarWidth));
    bar.set("height", std::to_string(height));
    bar.set("label_x", std::to_string(kGap + index * (kBarWidth + kGap) + kBarWidth / 2));
    bar.set("label_y", std::to_string(20 + kChartHeight + 16));
    bar.set("value_y", std::to_string(20 + kChartHeight - height - 4));
    bar.set("month", month.substr(2));
    bar.set("total", std::to_string(total));
    bars.push_back(bar);
    ++index;
  }
  data.set("months", months);
  data.set("bars", bars);
  data.set("chart_width", std::to_string(kGap + std::max(index, 1) * (kBarWidth + kGap)));
  data.set("chart_height", std::to_string(kChartHeight + 44));
  if (by_month.empty()) data.set("none", true);
  Data clauses{Data::type::list};
  for (const auto& info : moderation::AllClauses()) {
    Data item;
    item.set("number", std::to_string(info.number));
    item.set("name", std::string(info.name));
    clauses.push_back(item);
  }
  data.set("clauses", clauses);
  http::Response response = Page(context, "transparency", data, "Moderation transparency report");
  if (!context.viewer) response.SetHeader("Cache-Control", "public, max-age=300");
  return response;
}

}  // namespace masthead::pages
