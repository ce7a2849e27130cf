// The newsroom inbox as JSON (GET /api/v1/staff/inbox): the same queues,
// filters, counts and claims as /staff/inbox, for scripts and desk tools.
#pragma once

#include "newsroom/inbox.h"
#include "pages/web_session.h"

namespace masthead::api {

class InboxApi {
 public:
  InboxApi(newsroom::Inbox& inbox, const pages::WebSession& web) : inbox_(inbox), web_(web) {}

  // GET ?queue=&section=&desk=&unclaimed=1 (staff). 404 for an unknown desk.
  http::Response List(const http::Request& request);

 private:
  newsroom::Inbox& inbox_;
  const pages::WebSession& web_;
};

}  // namespace masthead::api
