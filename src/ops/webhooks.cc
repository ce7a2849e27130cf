#include "ops/webhooks.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <memory>

#include "base/text.h"

namespace masthead::ops {

Result<std::vector<std::string>> ParseWebhookUrls(const std::string& text) {
  std::vector<std::string> urls;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string url(TrimWhitespace(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (!url.empty()) {
      const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
      if (!web || url.size() > 2000 || url.find_first_of(" \t\r\n\"<>") != std::string::npos) {
        return MakeError(ErrorCode::kInvalidArgument, "webhooks.urls: not an http(s) URL: " + url, "webhooks.urls");
      }
      urls.push_back(url);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return urls;
}

std::string WebhookSignature(const std::string& secret, const std::string& body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac);
  static const char* digits = "0123456789abcdef";
  std::string hex = "sha256=";
  for (const unsigned char byte : mac) {
    hex += digits[byte >> 4];
    hex += digits[byte & 0xF];
  }
  return hex;
}

Status Webhooks::Queue(store::Store& tx, const std::string& event, const nlohmann::json& data, UnixSeconds now) const {
  if (!enabled()) return Ok();
  const nlohmann::json body = {{"event", event}, {"created_at", now}, {"data", data}};
  // Replacement of invalid UTF-8 keeps one bad byte from losing the whole event.
  const std::string payload = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const auto& url : options_.urls) {
    auto queued = tx.EnqueueWebhook({url, event, payload, now});
    if (!queued) return tl::unexpected(queued.error());
  }
  return Ok();
}

namespace {

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

struct Answer {
  long code = 0;
  std::string error;
};

Answer Post(const store::WebhookDelivery& delivery, const std::string& signature, int timeout_seconds) {
  Answer answer;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return {0, "curl_easy_init failed"};
  curl_slist* headers = nullptr;
  for (const std::string& header :
       std::initializer_list<std::string>{"Content-Type: application/json", "User-Agent: Masthead-Webhooks/1",
        "X-Masthead-Event: " + delivery.event, "X-Masthead-Delivery: " + std::to_string(delivery.id),
        "X-Masthead-Signature: " + signature}) {
    headers = curl_slist_append(headers, header.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, &curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, delivery.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, delivery.payload.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(delivery.payload.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a receiver moving is a failure to look at
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    answer.error = curl_easy_strerror(rc);
    return answer;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.code);
  if (answer.code < 200 || answer.code >= 300) answer.error = "HTTP " + std::to_string(answer.code);
  return answer;
}

}  // namespace

Result<int> Webhooks::DeliverDue(UnixSeconds now) {
  auto due = store_.ClaimDueWebhooks({.now = now, .limit = 20, .lease_seconds = options_.timeout_seconds * 3 + 30});
  if (!due) return tl::unexpected(due.error());
  for (const auto& delivery : *due) {
    const Answer answer = Post(delivery, WebhookSignature(options_.secret, delivery.payload), options_.timeout_seconds);
    store::WebhookAttemptRequest attempt;
    attempt.id = delivery.id;
    attempt.code = static_cast<int>(answer.code);
    attempt.now = now;
    if (answer.error.empty()) {
      attempt.delivered = true;
    } else {
      attempt.error = answer.error;
      attempt.give_up = delivery.attempts + 1 >= options_.max_attempts;
      // 10 s, 20 s, 40 s ... at most an hour between attempts.
      const int shift = std::min(delivery.attempts, 9);
      attempt.next_attempt_at = now + std::min<UnixSeconds>(10LL << shift, 3600);
    }
    MASTHEAD_RETURN_IF_ERROR(store_.RecordWebhookAttempt(attempt));
  }
  return static_cast<int>(due->size());
}

}  // namespace masthead::ops
