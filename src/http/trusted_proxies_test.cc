#include "http/trusted_proxies.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

TEST(TrustedProxiesTest, ParsesAddressesAndNetworksOfBothFamilies) {
  auto proxies = TrustedProxies::Parse(" 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,,");
  ASSERT_TRUE(proxies) << proxies.error().message;
  EXPECT_TRUE(proxies->Trusts("127.0.0.1"));
  EXPECT_FALSE(proxies->Trusts("127.0.0.2"));
  EXPECT_TRUE(proxies->Trusts("10.200.3.4"));
  EXPECT_FALSE(proxies->Trusts("11.0.0.1"));
  EXPECT_TRUE(proxies->Trusts("::1"));
  EXPECT_TRUE(proxies->Trusts("fd12:3456::1"));
  EXPECT_FALSE(proxies->Trusts("fe80::1"));
  EXPECT_TRUE(proxies->Trusts("::ffff:10.1.2.3"));  // a v4 peer on a v6 socket
  EXPECT_FALSE(proxies->Trusts("garbage"));
  EXPECT_TRUE(TrustedProxies::Parse("0.0.0.0/0")->Trusts("8.8.8.8"));
  EXPECT_TRUE(TrustedProxies::Parse("192.168.1.128/25")->Trusts("192.168.1.200"));
  EXPECT_FALSE(TrustedProxies::Parse("192.168.1.128/25")->Trusts("192.168.1.100"));
}

TEST(TrustedProxiesTest, RefusesWhatIsNotAnAddressOrNetworkNamingIt) {
  for (const char* bad : {"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8x", "1.2.3.4:80",
                          "[::1]", "10.0.0.0/-1", "300.1.1.1"}) {
    auto proxies = TrustedProxies::Parse(bad);
    ASSERT_FALSE(proxies) << bad;
    EXPECT_EQ(proxies.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(proxies.error().message.find(std::string(bad).substr(0, 5)), std::string::npos) << bad;
  }
  EXPECT_TRUE(TrustedProxies::Parse(""));  // nobody trusted
  EXPECT_TRUE(TrustedProxies::Parse("")->empty());
}

TEST(TrustedProxiesTest, TheClientIsTheNearestAddressThatIsNotATrustedProxy) {
  auto proxies = TrustedProxies::Parse("127.0.0.1, 10.0.0.0/8").value();
  // Not from a proxy: the header is the client's own word, ignored.
  EXPECT_EQ(proxies.ClientAddress("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "203.0.113.7"), "203.0.113.7");
  // A chain of proxies, a forged entry on the left.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "1.1.1.1, 203.0.113.7, 10.0.0.2"), "203.0.113.7");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "2001:db8::7"), "2001:db8::7");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "[2001:db8::7]:4711"), "2001:db8::7");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "203.0.113.7:4711"), "203.0.113.7");
  // Only proxies: the one farthest away.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "10.0.0.3, 10.0.0.2"), "10.0.0.3");
  // Junk where the client should be: the proxy's own address, never the junk.
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", "<script>, 10.0.0.2"), "127.0.0.1");
  EXPECT_EQ(proxies.ClientAddress("127.0.0.1", std::string(100000, ',')), "127.0.0.1");
}

}  // namespace
}  // namespace masthead::http
