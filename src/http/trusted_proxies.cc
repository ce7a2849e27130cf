#include "http/trusted_proxies.h"

#include <array>
#include <charconv>
#include <optional>

namespace masthead::http {
namespace {

namespace ip = boost::asio::ip;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// An address as proxies write it: "203.0.113.7", "2001:db8::1", and with a
// port "203.0.113.7:4711" or "[2001:db8::1]:4711". IPv4-mapped IPv6 addresses
// count as the IPv4 address they carry.
std::optional<ip::address> ParseAddress(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string_view::npos && text.find(':') == text.rfind(':')) {
    text = text.substr(0, text.find(':'));  // one colon: IPv4 with a port
  }
  boost::system::error_code ec;
  ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::address(ip::make_address_v4(ip::v4_mapped, address.to_v6()));
  }
  return address;
}

template <std::size_t N>
bool SamePrefix(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b, int prefix) {
  int bits = prefix;
  for (std::size_t i = 0; i < N && bits > 0; ++i, bits -= 8) {
    const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies proxies;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view entry = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    const auto slash = entry.find('/');
    auto base = ParseAddress(entry.substr(0, slash));
    // A port makes no sense here; ParseAddress accepts one only in headers.
    if (!base || entry.substr(0, slash).find_first_of("[]") != std::string_view::npos ||
        (base->is_v4() && entry.substr(0, slash).find(':') != std::string_view::npos)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "\"" + std::string(entry) + "\" is not an IP address or network", "server.trusted_proxies");
    }
    const int width = base->is_v4() ? 32 : 128;
    int prefix = width;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 || prefix > width) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "\"" + std::string(entry) + "\" has no prefix length between 0 and " + std::to_string(width),
                         "server.trusted_proxies");
      }
    }
    proxies.networks_.push_back({*base, prefix});
  }
  return proxies;
}

bool TrustedProxies::Contains(const ip::address& address) const {
  for (const Network& network : networks_) {
    if (network.base.is_v4() && address.is_v4()) {
      if (SamePrefix(network.base.to_v4().to_bytes(), address.to_v4().to_bytes(), network.prefix)) return true;
    } else if (network.base.is_v6() && address.is_v6()) {
      if (SamePrefix(network.base.to_v6().to_bytes(), address.to_v6().to_bytes(), network.prefix)) return true;
    }
  }
  return false;
}

bool TrustedProxies::Trusts(std::string_view address) const {
  if (networks_.empty()) return false;
  auto parsed = ParseAddress(address);
  return parsed && Contains(*parsed);
}

std::string TrustedProxies::ClientAddress(std::string_view peer, std::string_view forwarded_for) const {
  if (!Trusts(peer) || Trim(forwarded_for).empty()) return std::string(peer);
  std::string nearest_trusted;
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view entry =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    auto address = ParseAddress(entry);
    if (!address) return std::string(peer);
    if (!Contains(*address)) return address->to_string();
    nearest_trusted = address->to_string();
  }
  return nearest_trusted.empty() ? std::string(peer) : nearest_trusted;
}

}  // namespace masthead::http
