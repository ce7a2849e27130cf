// The admin's side of the Terms of Use and Community Guidelines: read the current
// version and publish the next. Publishing asks every reader to accept again
// before their next comment (PolicyService).
#pragma once

#include <string>

#include "discussion/policy_service.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"

namespace masthead::pages {

class PolicyPages {
 public:
  PolicyPages(discussion::PolicyService& policies, const WebSession& web, SitePages& site)
      : policies_(policies), web_(web), site_(site) {}

  // GET and POST /staff/policies/{kind} ("terms" or "guidelines"); admins only.
  http::Response Edit(const http::Request& request, const std::string& kind);

 private:
  discussion::PolicyService& policies_;
  const WebSession& web_;
  SitePages& site_;
};

}  // namespace masthead::pages
