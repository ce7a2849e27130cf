#include "mail/notification.h"

#include <gtest/gtest.h>

#include "mail/mime.h"
#include "mail/mime_parse.h"

namespace masthead::mail {
namespace {

NotificationFields ReplyFields() {
  return {{"site_name", "The Daily Example"},
          {"settings_url", "https://news.example.org/settings/notifications"},
          {"unsubscribe_url", "https://news.example.org/unsubscribe?t=abc"},
          {"recipient_name", "Ada"},
          {"actor_name", "Bob <b>the</b> Builder"},
          {"article_title", "Putin signs bill\r\nBcc: victim@example.net"},
          {"article_url", "https://news.example.org/2012/12/23/putin-signs-bill"},
          {"excerpt",
           "I <script>alert(1)</script>disagree! See <a href=\"https://evil.example/x\">proof</a> "
           "and ![pic](https://tracker.example/p.gif)\nSecond line"}};
}

NotificationEnvelope Envelope() {
  NotificationEnvelope e;
  e.from = {"The Daily Example", "news@example.org"};
  e.to = {"Ada", "ada@example.com"};
  e.message_id_domain = "news.example.org";
  e.unsubscribe_url = "https://news.example.org/unsubscribe?t=abc";
  e.unsubscribe_mailto = "mailto:unsubscribe@example.org?subject=unsubscribe%20abc";
  e.date = 1356271500;
  return e;
}

TEST(NotificationTest, ReplyRendersBothPartsWithUserTextReducedToText) {
  auto mail = RenderNotification(NotificationKind::kReply, ReplyFields());
  ASSERT_TRUE(mail) << mail.error().ToString();
  EXPECT_EQ(mail->subject,
            "Bob the Builder replied to your comment on \xE2\x80\x9CPutin signs bill Bcc: "
            "victim@example.net\xE2\x80\x9D");
  // Text part: links as "label (URL)", no image URL, no markup.
  EXPECT_NE(mail->text_body.find("proof (https://evil.example/x)"), std::string::npos)
      << mail->text_body;
  EXPECT_NE(mail->text_body.find("[image: pic]"), std::string::npos);
  EXPECT_EQ(mail->text_body.find("tracker.example"), std::string::npos);
  EXPECT_EQ(mail->text_body.find("<script>"), std::string::npos);
  EXPECT_NE(mail->text_body.find("Hello Ada,"), std::string::npos);
  EXPECT_NE(mail->text_body.find("https://news.example.org/settings/notifications"),
            std::string::npos);
  // HTML part: user text escaped, user links not clickable, no images at all.
  const std::string& html = mail->html_body;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("href=\"https://evil.example"), std::string::npos);
  EXPECT_EQ(html.find("tracker.example"), std::string::npos);
  EXPECT_NE(html.find("proof (https://evil.example/x)"), std::string::npos);
  EXPECT_NE(html.find("Bob the Builder"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://news.example.org/settings/notifications\">"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://news.example.org/unsubscribe?t=abc\">Unsubscribe</a>"),
            std::string::npos);
}

TEST(NotificationTest, DecodedMarkupInUserTextIsEscapedInHtml) {
  NotificationFields fields = ReplyFields();
  fields["excerpt"] = "&lt;img src=https://tracker.example/p.gif&gt; \"quoted\" & 'single'";
  auto mail = RenderNotification(NotificationKind::kReply, fields);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->html_body.find("&lt;img src=https://tracker.example/p.gif&gt; &quot;quoted&quot; "
                                 "&amp; &#39;single&#39;"),
            std::string::npos)
      << mail->html_body;
}

TEST(NotificationTest, TemplateSyntaxInUserTextIsNotInterpreted) {
  NotificationFields fields = ReplyFields();
  fields["excerpt"] = "{{settings_url}} {{{site_name}}} {{#x}}y{{/x}}";
  auto mail = RenderNotification(NotificationKind::kReply, fields);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->text_body.find("{{settings_url}} {{{site_name}}} {{#x}}y{{/x}}"),
            std::string::npos)
      << mail->text_body;
}

TEST(NotificationTest, MissingUnknownAndBadFieldsAreNamed) {
  NotificationFields fields = ReplyFields();
  fields.erase("excerpt");
  auto missing = RenderNotification(NotificationKind::kReply, fields);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "excerpt");

  fields = ReplyFields();
  fields["exerpt"] = "typo";
  auto unknown = RenderNotification(NotificationKind::kReply, fields);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "exerpt");

  fields = ReplyFields();
  fields["article_url"] = "javascript:alert(1)";
  auto bad = RenderNotification(NotificationKind::kReply, fields);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "article_url");
}

TEST(NotificationTest, EveryKindRenders) {
  NotificationFields common = {{"site_name", "Example"},
                               {"settings_url", "https://example.org/settings"}};
  struct Case {
    NotificationKind kind;
    NotificationFields extra;
  };
  for (const Case& c : std::vector<Case>{
           {NotificationKind::kTest, {}},
           {NotificationKind::kAnswer,
            {{"article_title", "T"}, {"article_url", "https://example.org/a"},
             {"question", "Why?"}, {"answer", "Because."}}},
           {NotificationKind::kFollowUp,
            {{"article_title", "T"}, {"article_url", "https://example.org/a"}, {"question", "Why?"},
             {"followup_title", "F"}, {"followup_url", "https://example.org/f"}}},
           {NotificationKind::kDecision,
            {{"decision", "removed"}, {"excerpt", "you are a ..."}, {"reason", "insult"},
             {"appeal_url", "https://example.org/appeal/1"}}},
           {NotificationKind::kEditorReply,
            {{"desk_name", "Corrections desk"}, {"original", "The date is wrong"},
             {"reply", "Fixed, thank you."}}}}) {
    NotificationFields fields = common;
    fields.insert(c.extra.begin(), c.extra.end());
    auto mail = RenderNotification(c.kind, fields);
    ASSERT_TRUE(mail) << NotificationKindName(c.kind) << ": " << mail.error().ToString();
    EXPECT_FALSE(mail->subject.empty());
    EXPECT_NE(mail->html_body.find("https://example.org/settings"), std::string::npos);
  }
}

TEST(NotificationTest, ComposeAddsOneClickUnsubscribeAndMessageId) {
  auto message = ComposeNotification(NotificationKind::kReply, ReplyFields(), Envelope());
  ASSERT_TRUE(message) << message.error().ToString();
  EXPECT_TRUE(message->message_id.ends_with("@news.example.org>"));
  auto mime = BuildMime(*message, 0);
  ASSERT_TRUE(mime) << mime.error().ToString();
  auto parsed = ParseMessage(*mime);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->Get("List-Unsubscribe"),
            "<https://news.example.org/unsubscribe?t=abc>, "
            "<mailto:unsubscribe@example.org?subject=unsubscribe%20abc>");
  EXPECT_EQ(parsed->Get("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
}

TEST(NotificationTest, ListUnsubscribeNeedsHttpsAndAValidMailto) {
  Message m;
  EXPECT_FALSE(AddListUnsubscribe(m, "http://news.example.org/u", "mailto:u@example.org"));
  EXPECT_TRUE(AddListUnsubscribe(m, "http://localhost:8080/u", "mailto:u@example.org"));
  auto bad_mailto = AddListUnsubscribe(m, "https://example.org/u", "mailto:u@example.org\r\nX: y");
  ASSERT_FALSE(bad_mailto);
  EXPECT_EQ(bad_mailto.error().field, "unsubscribe_mailto");
  EXPECT_FALSE(AddListUnsubscribe(m, "https://example.org/u>, <https://evil", "mailto:u@example.org"));
}

TEST(NotificationTest, ADigestCarriesEveryEntryUnderOneGreeting) {
  NotificationFields second = ReplyFields();
  second["actor_name"] = "Cleo";
  second["excerpt"] = "A second reply";
  const NotificationFields common = {{"site_name", "The Daily Example"},
                                     {"settings_url", "https://news.example.org/settings/notifications"},
                                     {"recipient_name", "Ada"}};
  auto digest = ComposeDigest("hourly", common, {{NotificationKind::kReply, ReplyFields()},
                                                 {NotificationKind::kReply, second}}, Envelope());
  ASSERT_TRUE(digest) << digest.error().ToString();
  EXPECT_EQ(digest->subject, "Your hourly digest from The Daily Example: 2 notifications");
  const std::string& text = digest->text_body;
  EXPECT_NE(text.find("Bob the Builder replied"), std::string::npos) << text;
  EXPECT_NE(text.find("Cleo replied"), std::string::npos);
  EXPECT_NE(text.find("A second reply"), std::string::npos);
  EXPECT_EQ(text.find("Hello Ada,"), text.rfind("Hello Ada,"));  // one greeting
  EXPECT_EQ(digest->html_body.find("<script"), std::string::npos);
  bool one_click = false;
  for (const Header& header : digest->headers) one_click |= header.name == "List-Unsubscribe-Post";
  EXPECT_TRUE(one_click);

  EXPECT_FALSE(ComposeDigest("weekly", common, {{NotificationKind::kReply, ReplyFields()}}, Envelope()));
  EXPECT_FALSE(ComposeDigest("daily", common, {}, Envelope()));
  NotificationFields broken = ReplyFields();
  broken.erase("excerpt");
  EXPECT_EQ(ComposeDigest("daily", common, {{NotificationKind::kReply, broken}}, Envelope()).error().field, "excerpt");
}

}  // namespace
}  // namespace masthead::mail
