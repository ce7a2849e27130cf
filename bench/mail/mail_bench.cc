// Deliveries per second to a local SMTP sink (tests/support/smtp_sink.py with
// --count-only, so the sink costs as little as aiosmtpd allows). Three runs over the same N rendered
// notifications, each on a fresh sink:
//   reference  Python's smtplib sending the same bytes over one connection;
//   transport  SmtpTransport::Send in a loop (one curl handle, connection reused);
//   worker     DeliveryWorker draining an in-memory queue through SmtpTransport.
// Prints messages/s and the ratio to the reference. Target (issue 3): worker >=
// 200/s. The sink is Python too and is the bottleneck of all three runs (perf:
// ~90% of CPU samples are the sink's), so msg/s moves with the machine's load;
// the ratio, measured in the same run, is the comparable figure.
// Usage: mail_bench [N [ROUNDS]]   (default 1000 messages, 5 rounds)
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "mail/delivery_worker.h"
#include "mail/mime.h"
#include "mail/notification.h"
#include "mail/smtp_transport.h"
#include "mail/testing/smtp_sink.h"

namespace masthead::mail {
namespace {

using testing::SmtpSink;
using testing::TempDir;

// The simplest queue that honours the OutboxQueue contract well enough for a
// throughput run (no leases expire, nothing fails).
class BenchOutbox final : public OutboxQueue {
 public:
  explicit BenchOutbox(const std::vector<Message>& messages) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      pending_.push_back({static_cast<std::int64_t>(i), messages[i], 0});
    }
    remaining_ = messages.size();
  }
  Result<std::vector<OutboxItem>> ClaimDue(TimePoint, std::size_t limit, std::chrono::seconds) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<OutboxItem> items;
    while (!pending_.empty() && items.size() < limit) {
      items.push_back(std::move(pending_.front()));
      pending_.pop_front();
    }
    return items;
  }
  Status MarkDelivered(std::int64_t, const DeliveryResult&) override { return Done(); }
  Status MarkTemporaryFailure(std::int64_t, TimePoint, const DeliveryResult& r) override {
    std::fprintf(stderr, "temporary failure: %s\n", r.reply.c_str());
    return Done();
  }
  Status MarkPermanentFailure(std::int64_t, const DeliveryResult& r) override {
    std::fprintf(stderr, "permanent failure: %s\n", r.reply.c_str());
    return Done();
  }
  void WaitAllDone() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return remaining_ == 0; });
  }

 private:
  Status Done() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--remaining_ == 0) done_.notify_all();
    return Ok();
  }
  std::mutex mutex_;
  std::condition_variable done_;
  std::deque<OutboxItem> pending_;
  std::size_t remaining_;
};

std::vector<Message> MakeMessages(int n) {
  std::vector<Message> messages;
  for (int i = 0; i < n; ++i) {
    NotificationEnvelope envelope;
    envelope.from = {"The Daily Example", "news@example.org"};
    envelope.to = {"Reader " + std::to_string(i), "reader" + std::to_string(i) + "@example.com"};
    envelope.message_id_domain = "news.example.org";
    envelope.unsubscribe_url = "https://news.example.org/unsubscribe?t=" + std::to_string(i);
    envelope.unsubscribe_mailto = "mailto:unsubscribe@example.org";
    envelope.date = 1356271500;
    auto message = ComposeNotification(
        NotificationKind::kReply,
        {{"site_name", "The Daily Example"},
         {"settings_url", "https://news.example.org/settings"},
         {"recipient_name", "Reader"},
         {"actor_name", "Bob M\xC3\xBCller"},
         {"article_title", "Putin signs bill banning US adoptions of Russian children"},
         {"article_url", "https://news.example.org/2012/12/23/putin-signs-bill"},
         {"excerpt", "I think the story misses one point: see [the law](https://example.net/law). " +
                         std::string(600, 'x')}},
        envelope);
    if (!message) {
      std::fprintf(stderr, "compose: %s\n", message.error().ToString().c_str());
      std::exit(1);
    }
    messages.push_back(std::move(*message));
  }
  return messages;
}

std::unique_ptr<SmtpSink> StartSink(const std::filesystem::path& dir) {
  auto sink = SmtpSink::Start(dir, {.count_only = true});
  if (!sink) {
    std::fprintf(stderr, "sink: %s\n", sink.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(*sink);
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

struct Run {
  double rate = 0;          // messages per second
  std::size_t arrived = 0;  // counted by the sink
};

Run Reference(const std::filesystem::path& dir, const std::string& files, int n) {
  auto sink = StartSink(dir);
  std::string command = std::string("/usr/bin/python3 ") + MASTHEAD_BENCH_REFERENCE + " " +
                        std::to_string(sink->port()) + " news@example.org reader@example.com" +
                        files;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  double seconds = 0;
  if (pipe == nullptr || std::fscanf(pipe, "%lf", &seconds) != 1 || ::pclose(pipe) != 0) {
    std::fprintf(stderr, "reference run failed\n");
    std::exit(1);
  }
  sink->Stop();
  return {n / seconds, sink->ReceivedCount()};
}

Run TransportLoop(const std::filesystem::path& dir, const std::vector<Message>& messages) {
  auto sink = StartSink(dir);
  auto transport = SmtpTransport::Create({.url = sink->url()});
  if (!transport) std::exit(1);
  auto start = std::chrono::steady_clock::now();
  for (const Message& m : messages) {
    DeliveryResult r = (*transport)->Send(m);
    if (!r.delivered()) std::fprintf(stderr, "send: %d %s\n", r.code, r.reply.c_str());
  }
  double seconds = Seconds(std::chrono::steady_clock::now() - start);
  sink->Stop();
  return {messages.size() / seconds, sink->ReceivedCount()};
}

Run Worker(const std::filesystem::path& dir, const std::vector<Message>& messages) {
  auto sink = StartSink(dir);
  auto transport = SmtpTransport::Create({.url = sink->url()});
  if (!transport) std::exit(1);
  BenchOutbox outbox(messages);
  DeliveryWorker worker(outbox, **transport, {});
  auto start = std::chrono::steady_clock::now();
  if (!worker.Start()) std::exit(1);
  outbox.WaitAllDone();
  double seconds = Seconds(std::chrono::steady_clock::now() - start);
  worker.Stop();
  sink->Stop();
  return {messages.size() / seconds, sink->ReceivedCount()};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int Main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  if (n <= 0) n = 1000;
  if (rounds <= 0) rounds = 5;
  TempDir dir;
  std::vector<Message> messages = MakeMessages(n);
  std::string files;
  for (int i = 0; i < n; ++i) {
    auto path = dir.path() / ("m" + std::to_string(i) + ".eml");
    std::ofstream(path, std::ios::binary) << *BuildMime(messages[i], 0);
    files += " " + path.string();
  }

  // Interleaved rounds, so load from other processes hits all three alike.
  std::vector<double> ref, loop, worker;
  bool all_arrived = true;
  for (int r = 0; r < rounds; ++r) {
    std::string round = std::to_string(r);
    for (auto [rates, run] : {std::pair{&ref, Reference(dir.path() / ("ref" + round), files, n)},
                              std::pair{&loop, TransportLoop(dir.path() / ("loop" + round), messages)},
                              std::pair{&worker, Worker(dir.path() / ("worker" + round), messages)}}) {
      rates->push_back(run.rate);
      all_arrived = all_arrived && run.arrived == static_cast<std::size_t>(n);
    }
  }
  auto list = [](const std::vector<double>& rates) {
    std::string out;
    for (double rate : rates) out += " " + std::to_string(static_cast<int>(rate));
    return out;
  };
  std::printf("rounds (msg/s): reference%s | transport%s | worker%s\n", list(ref).c_str(),
              list(loop).c_str(), list(worker).c_str());
  double ref_rate = Median(ref), loop_rate = Median(loop), worker_rate = Median(worker);
  std::printf("mail_bench: %d messages of %zu bytes per run, %d interleaved rounds, medians;\n"
              "  sink: smtp_sink.py --count-only on 127.0.0.1 (the bottleneck of every run)\n",
              n, BuildMime(messages[0], 0)->size(), rounds);
  std::printf("  reference smtplib (Python)  %8.1f msg/s\n", ref_rate);
  std::printf("  SmtpTransport::Send loop    %8.1f msg/s  ratio %.2fx\n", loop_rate,
              loop_rate / ref_rate);
  std::printf("  DeliveryWorker              %8.1f msg/s  ratio %.2fx\n", worker_rate,
              worker_rate / ref_rate);
  bool ok = all_arrived && worker_rate >= 200.0;
  std::printf("  every message arrived: %s; target worker >= 200 msg/s: %s\n",
              all_arrived ? "yes" : "NO", worker_rate >= 200.0 ? "met" : "NOT met");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace masthead::mail

int main(int argc, char** argv) { return masthead::mail::Main(argc, argv); }
