// A reader's notification settings (/account/notifications) and the one-click
// unsubscribe endpoint that notification mails link to (/mail/unsubscribe).
#pragma once

#include "accounts/unsubscribe.h"
#include "pages/site_pages.h"
#include "pages/web_session.h"
#include "store/store.h"

namespace masthead::pages {

class NotificationPages {
 public:
  NotificationPages(store::Store& store, const accounts::UnsubscribeSigner& signer, const WebSession& web,
                    SitePages& site)
      : store_(store), signer_(signer), web_(web), site_(site) {}

  http::Response Settings(const http::Request& request);      // GET and POST
  http::Response Unsubscribe(const http::Request& request);   // GET shows, POST (one-click) acts

 private:
  store::Store& store_;
  const accounts::UnsubscribeSigner& signer_;
  const WebSession& web_;
  SitePages& site_;
};

}  // namespace masthead::pages
