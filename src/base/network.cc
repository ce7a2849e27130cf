#include "base/network.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

namespace masthead {

std::string NetworkOf(std::string_view address) {
  std::string text(address);
  // IPv4-mapped IPv6 ("::ffff:203.0.113.9") is the IPv4 client.
  if (text.rfind("::ffff:", 0) == 0 && text.find('.') != std::string::npos) text = text.substr(7);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    const unsigned char* b = reinterpret_cast<const unsigned char*>(&v4);
    char out[32];
    std::snprintf(out, sizeof out, "%u.%u.%u.0/24", b[0], b[1], b[2]);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memset(reinterpret_cast<unsigned char*>(&v6) + 6, 0, 10);
    char out[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &v6, out, sizeof out);
    return std::string(out) + "/48";
  }
  return text;
}

}  // namespace masthead
