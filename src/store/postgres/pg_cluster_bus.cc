#include "store/postgres/pg_cluster_bus.h"

#include <poll.h>

#include <chrono>
#include <cstdio>
#include <random>

namespace masthead::store::postgres {

namespace {

std::string RandomNodeId() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

}  // namespace

Result<std::unique_ptr<PgClusterBus>> PgClusterBus::Open(const std::string& url) {
  auto target = ParsePostgresUrl(url);
  if (!target) return tl::unexpected(target.error());
  std::unique_ptr<PgClusterBus> bus(new PgClusterBus(*target));
  bus->sender_ = bus->Connect(false);
  if (bus->sender_ == nullptr) return MakeError(ErrorCode::kUnavailable, "postgres: cannot connect the cluster bus");
  return bus;
}

PgClusterBus::PgClusterBus(PostgresTarget target)
    : target_(std::move(target)),
      // Tests share one database between many sites, one schema each.
      channel_("masthead_" + (target_.schema.empty() ? std::string("public") : target_.schema)),
      node_(RandomNodeId()) {}

PgClusterBus::~PgClusterBus() {
  stopping_ = true;
  if (listener_.joinable()) listener_.join();
  if (sender_ != nullptr) PQfinish(sender_);
}

PGconn* PgClusterBus::Connect(bool listen) {
  PGconn* conn = PQconnectdb(target_.conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  if (listen) {
    char* channel = PQescapeIdentifier(conn, channel_.c_str(), channel_.size());
    PGresult* result = PQexec(conn, ("LISTEN " + std::string(channel)).c_str());
    PQfreemem(channel);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) {
      PQfinish(conn);
      return nullptr;
    }
  }
  return conn;
}

void PgClusterBus::Start(Handlers handlers) {
  handlers_ = std::move(handlers);
  // LISTEN before Start returns: nothing sent after it is missed.
  PGconn* first = Connect(true);
  listener_ = std::thread([this, first] {
    PGconn* conn = first;
    bool lost = first == nullptr;
    while (!stopping_) {
      if (conn == nullptr) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        conn = Connect(true);
        if (conn == nullptr) continue;
        if (lost && handlers_.missed) handlers_.missed();
        lost = false;
      }
      pollfd fd{PQsocket(conn), POLLIN, 0};
      ::poll(&fd, 1, 200);  // wakes up to notice Stop
      if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK) {
        std::fprintf(stderr, "masthead: cluster bus: connection lost, reconnecting\n");
        PQfinish(conn);
        conn = nullptr;
        lost = true;
        continue;
      }
      while (PGnotify* notify = PQnotifies(conn)) {
        const std::string payload = notify->extra;
        PQfreemem(notify);
        const auto space = payload.find(' ');
        if (space == std::string::npos || payload.compare(0, space, node_) == 0) continue;
        if (handlers_.message) handlers_.message(payload.substr(space + 1));
      }
    }
    if (conn != nullptr) PQfinish(conn);
  });
}

void PgClusterBus::Send(const std::string& message) {
  std::lock_guard lock(send_mutex_);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (sender_ == nullptr || PQstatus(sender_) != CONNECTION_OK) {
      if (sender_ != nullptr) PQfinish(sender_);
      sender_ = Connect(false);
      if (sender_ == nullptr) break;
    }
    const std::string payload = node_ + " " + message;
    const char* values[] = {channel_.c_str(), payload.c_str()};
    PGresult* result = PQexecParams(sender_, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
    if (ok) return;
  }
  std::fprintf(stderr, "masthead: cluster bus: could not send \"%s\"\n", message.c_str());
}

}  // namespace masthead::store::postgres
