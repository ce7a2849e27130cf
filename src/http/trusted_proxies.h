// The reverse proxies whose word on the client's address Masthead takes. Behind
// nginx every connection comes from the proxy, so per-network limits (log-in
// throttling, posts per network, reports per hour) would see every reader as
// one; the proxy names the client in X-Forwarded-For. Only a connection from a
// listed proxy is believed, and of the header only the part the trusted
// proxies wrote: walking from its right end, the first address that is not a
// trusted proxy is the client (anything left of it the client may have forged).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "base/result.h"

namespace masthead::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody: the TCP peer is the client

  // Addresses and networks, comma-separated: "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8".
  // kInvalidArgument naming the entry that is neither.
  static Result<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return networks_.empty(); }
  bool Trusts(std::string_view address) const;

  // The client's address for a connection from `peer`: `peer` unless it is a
  // trusted proxy; then the right-most address in `forwarded_for` (the
  // X-Forwarded-For values in the order received, comma-joined) that is not a
  // trusted proxy, or the left-most trusted one when all are; `peer` when the
  // header is missing or the entry to take is not an address.
  std::string ClientAddress(std::string_view peer, std::string_view forwarded_for) const;

 private:
  struct Network {
    boost::asio::ip::address base;
    int prefix = 0;
  };
  bool Contains(const boost::asio::ip::address& address) const;

  std::vector<Network> networks_;
};

}  // namespace masthead::http
