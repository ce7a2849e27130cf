// Outgoing webhooks: events (new comments, moderation decisions, published
// corrections, published articles) are queued in the database inside the
// transaction of the change that causes them, like mail, and a worker POSTs them
// to every configured receiver, retrying with backoff.
//
// Each POST carries the JSON body, `X-Masthead-Event`, `X-Masthead-Delivery` (the
// queue id: receivers drop repeats by it) and `X-Masthead-Signature:
// sha256=HEX`, the HMAC-SHA256 of the exact body bytes under `webhooks.secret`.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace masthead::ops {

struct WebhookOptions {
  std::vector<std::string> urls;
  std::string secret;
  int max_attempts = 10;        // then the delivery is marked failed
  int timeout_seconds = 10;
};

// "https://a.example/hook, http://127.0.0.1:9000/x" -> the URLs; errors name a bad one.
Result<std::vector<std::string>> ParseWebhookUrls(const std::string& text);

// "sha256=" + lower-case hex of HMAC-SHA256(secret, body).
std::string WebhookSignature(const std::string& secret, const std::string& body);

class Webhooks {
 public:
  Webhooks(store::Store& store, WebhookOptions options) : store_(store), options_(std::move(options)) {}

  bool enabled() const { return !options_.urls.empty(); }
  // Queues `event` with `data` for every receiver, through `tx` (the caller's
  // transaction). Nothing when no receiver is configured.
  Status Queue(store::Store& tx, const std::string& event, const nlohmann::json& data, UnixSeconds now) const;
  // Sends what is due once; returns how many deliveries were attempted.
  Result<int> DeliverDue(UnixSeconds now);

 private:
  store::Store& store_;
  WebhookOptions options_;
};

}  // namespace masthead::ops
