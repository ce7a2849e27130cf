// The network a client address belongs to, for rate limits that a single
// attacker cannot dodge by rotating addresses within one allocation: IPv4 /24,
// IPv6 /48.
#pragma once

#include <string>
#include <string_view>

namespace masthead {

// "203.0.113.0/24", "2001:db8:1::/48"; the input itself when it is not an IP.
std::string NetworkOf(std::string_view address);

}  // namespace masthead
