// One inbox for everything readers send that waits for the newsroom: each
// queue (held comments, reports, appeals, accuracy cases, messages to the
// editors, technical tickets ...) is a small provider registered once at
// start-up. The inbox adds what every queue shares: counts, the section and
// desk filters, claims (so two people do not work the same item) and the age of
// each item against the queue's configured response time.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "base/result.h"
#include "store/store.h"

namespace masthead::newsroom {

// One waiting item as a queue describes it. Set article_id or article_slug
// when the item is about an article (the inbox finds its section), or
// section_slug directly.
struct InboxItem {
  std::int64_t id = 0;  // unique within the queue; claims name it
  std::string title;    // one line, plain text
  std::string detail;   // a short excerpt, plain text
  std::string href;     // where the item is worked (the queue's own staff page)
  UnixSeconds waiting_since = 0;
  std::int64_t article_id = 0;
  std::string article_slug;
  std::string section_slug;
};

// A queue of the inbox. `key` names it in claims, URLs and the
// newsroom.response_hours setting; `items` lists what waits, oldest first or
// in the queue's own order, at most `limit` of them.
struct InboxQueue {
  std::string key;
  std::string label;
  std::string page;  // the queue's own staff page
  accounts::Role role = accounts::Role::kModerator;  // who sees it
  std::function<Result<std::vector<InboxItem>>(int limit)> items;
};

struct InboxOptions {
  // Hours within which an item of a queue should get an answer; queues not
  // named use default_response_hours.
  std::map<std::string, int, std::less<>> response_hours;
  int default_response_hours = 24;
  int claim_minutes = 30;  // a claim lapses by itself after this long
  int items_per_queue = 200;
};

// "held=4, reported=2": hours per queue key. kInvalidArgument names the bad part.
Result<std::map<std::string, int, std::less<>>> ParseResponseHours(const std::string& text);

struct InboxEntry {
  InboxItem item;
  std::string section_slug;
  std::string section_name;
  std::string article_headline;
  std::optional<store::InboxClaim> claim;  // unexpired only
  UnixSeconds age_seconds = 0;
  UnixSeconds due_in_seconds = 0;  // negative: overdue by that much
};

// The counts follow the section and desk filters (a desk's editors see their
// own workload) but not the queue and "only unclaimed" filters, which choose
// what is listed: the summary keeps showing every queue and every claim.
struct InboxQueueView {
  const InboxQueue* queue = nullptr;
  int response_hours = 0;
  int waiting = 0;
  int overdue = 0;
  int claimed = 0;
  std::vector<InboxEntry> entries;  // after the whole filter
};

struct InboxFilter {
  std::string queue;    // empty: every queue the viewer may see
  std::string section;  // empty: every section
  // A desk's slug: the items of every section the desk owns. Items without a
  // section never match it. Empty: every desk.
  std::string desk;
  bool unclaimed_only = false;
};

// The filter from a query string's fields (queue, section, desk, unclaimed=1),
// as the inbox page and its JSON API both take it.
InboxFilter InboxFilterFrom(const std::map<std::string, std::string, std::less<>>& fields);

class Inbox {
 public:
  Inbox(store::Store& store, InboxOptions options) : store_(store), options_(std::move(options)) {}

  // At start-up, before requests are served. A repeated key is a programming error.
  void Register(InboxQueue queue);
  const std::vector<InboxQueue>& queues() const { return queues_; }
  const InboxOptions& options() const { return options_; }

  // The queues `viewer` may see, in registration order, with their items.
  // kNotFound for a desk that does not exist (an empty list would pass for "no
  // work" when the link or the slug is wrong).
  Result<std::vector<InboxQueueView>> Load(const accounts::Viewer& viewer, const InboxFilter& filter,
                                           UnixSeconds now);

  // Claims an item of a queue the viewer may see, for claim_minutes; renews the
  // viewer's own claim. kNotFound for an unknown queue or an item not waiting in
  // it; kConflict (with the holder's name) when someone else holds it.
  Result<store::InboxClaim> Claim(const accounts::Viewer& viewer, const std::string& queue, std::int64_t item_id,
                                  UnixSeconds now);
  Status Release(const accounts::Viewer& viewer, const std::string& queue, std::int64_t item_id);

 private:
  const InboxQueue* Find(const std::string& key, const accounts::Viewer& viewer) const;

  store::Store& store_;
  InboxOptions options_;
  std::vector<InboxQueue> queues_;
};

// The queues Masthead has by itself, reading `store`: held and reported
// comments and appeals (moderators), accuracy cases and messages to the editors
// (editors), technical tickets (moderators). Registered by the app; a feature
// with a queue of its own registers one more next to them.
std::vector<InboxQueue> StandardQueues(store::Store& store);

}  // namespace masthead::newsroom
