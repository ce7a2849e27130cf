// The JSON API of reader questions (/api/v1/...): the same service and rules
// as the questions pages. Errors are {code, message, field}; writes need the
// session cookie and an X-CSRF-Token header.
#pragma once

#include <cstdint>
#include <string>

#include "pages/web_session.h"
#include "questions/question_service.h"

namespace masthead::api {

class QuestionsApi {
 public:
  QuestionsApi(questions::QuestionService& questions, const pages::WebSession& web)
      : questions_(questions), web_(web) {}

  // GET ?tab=unanswered|answered|all&order=votes|oldest|newest: the questions,
  // the "Open questions" box and the follow-up links of the article.
  http::Response List(const http::Request& request, const std::string& slug);
  // POST {body, idempotency_key?, rephrased?}: 201 with the question.
  http::Response Ask(const http::Request& request, const std::string& slug);
  http::Response Get(const http::Request& request, std::int64_t id);
  http::Response Vote(const http::Request& request, std::int64_t id, bool add);  // POST / DELETE
  // POST: "answer" {answer}, "decline" {reason}, "merge" {into}, "followup" {article}.
  http::Response Act(const http::Request& request, std::int64_t id, const std::string& action);
  http::Response AddOpenQuestion(const http::Request& request, const std::string& slug);  // POST {body}
  http::Response RemoveOpenQuestion(const http::Request& request, const std::string& slug, std::int64_t id);
  http::Response SetExpert(const http::Request& request, const std::string& slug);  // POST {email, assigned}
  http::Response Queue(const http::Request& request);  // GET ?order=oldest|votes (staff)

 private:
  questions::QuestionService& questions_;
  const pages::WebSession& web_;
};

}  // namespace masthead::api
