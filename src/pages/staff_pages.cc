#include "pages/staff_pages.h"

#include "mail/maildir_transport.h"
#include "mail/mime_parse.h"

namespace masthead::pages {

http::Response StaffPages::Page(const http::Request& request, Data& data, const std::string& title) {
  WebContext context = web_.Load(request);
  Data layout = site_.LayoutData(title + " · " + site_.options().title, "");
  if (context.viewer) SitePages::AddViewer(layout, context.viewer->user.display_name, context.csrf);
  http::Response response = http::Response::Html(200, RenderPage("staff_mail", data, layout));
  response.SetHeader("Cache-Control", "private, no-store");
  web_.Finish(response, context);
  return response;
}

http::Response StaffPages::Mail(const http::Request& request) {
  Data data;
  data.set("mode", maildir_.empty() ? "Mail is delivered over SMTP."
                                    : "No SMTP server is configured: mail is kept in the local Maildir below.");
  int pending = 0, failed = 0, delivered = 0;
  Data failed_rows{Data::type::list};
  if (auto outbox = store_.ListMail({"", 500})) {
    for (const auto& m : *outbox) {
      if (m.status == "pending") ++pending;
      if (m.status == "delivered") ++delivered;
      if (m.status == "failed") {
        ++failed;
        Data row;
        row.set("id", std::to_string(m.id));
        row.set("kind", m.kind);
        row.set("to", m.recipient);
        row.set("attempts", std::to_string(m.attempts));
        row.set("reply", m.last_reply);
        failed_rows.push_back(row);
      }
    }
  }
  data.set("pending", std::to_string(pending));
  data.set("failed", std::to_string(failed));
  data.set("delivered", std::to_string(delivered));
  if (failed > 0) data.set("has_failed", true);
  data.set("failed_rows", failed_rows);
  if (!maildir_.empty()) {
    if (auto entries = mail::ListMaildir(maildir_, 200)) {
      Data messages{Data::type::list};
      for (const auto& entry : *entries) {
        Data row;
        row.set("id", entry.id);
        row.set("received", FormatRfc3339(entry.received));
        row.set("to", entry.to);
        row.set("subject", entry.subject.empty() ? std::string("(no subject)") : entry.subject);
        messages.push_back(row);
      }
      data.set("has_maildir", true);
      data.set("messages", messages);
    }
  }
  return Page(request, data, "Mail");
}

http::Response StaffPages::MailMessage(const http::Request& request, const std::string& id) {
  if (maildir_.empty()) return site_.NotFound();
  auto raw = mail::ReadMaildirMessage(maildir_, id);
  if (!raw) return site_.NotFound();
  auto parsed = mail::ParseMessage(*raw);
  if (!parsed) return site_.Error(422, "This message cannot be read", parsed.error().message);
  Data message;
  message.set("subject", parsed->Get("Subject").value_or("(no subject)"));
  message.set("from", parsed->Get("From").value_or(""));
  message.set("to", parsed->Get("To").value_or(""));
  message.set("date", parsed->Get("Date").value_or(""));
  message.set("message_id", parsed->Get("Message-ID").value_or(""));
  message.set("text", parsed->text_body);
  Data data;
  data.set("mode", "");
  data.set("pending", "-");
  data.set("failed", "-");
  data.set("delivered", "-");
  data.set("message", message);
  return Page(request, data, "Mail");
}

}  // namespace masthead::pages
