// The policies kept in memory on a real SQLite file, with two services on one
// database standing for two nodes.
#include "discussion/policy_service.h"

#include <gtest/gtest.h>

#include "store/sqlite/test_store.h"

namespace masthead::discussion {
namespace {

class PolicyServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    store_ = store::sqlite::OpenTestStore("masthead-policies");
    ASSERT_NE(store_, nullptr);
    a_ = std::make_unique<PolicyService>(*store_, clock_);
    b_ = std::make_unique<PolicyService>(*store_, clock_);
    ASSERT_TRUE(node_a_().EnsureDefaults());
    auto user = store_->CreateUser({"ada@example.org", "Ada", "x", "reader", 1, 1});
    ASSERT_TRUE(user);
    ada_ = user->id;
  }

  Status AcceptCurrent(PolicyService& node) {
    auto current = node.Current();
    if (!current) return tl::unexpected(current.error());
    return node.Accept(ada_, current->terms.version, current->guidelines.version);
  }

  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::function<UnixSeconds()> clock_ = [] { return UnixSeconds{1'700'000'000}; };
  std::unique_ptr<PolicyService> a_, b_;
  PolicyService& node_a_() { return *a_; }
  PolicyService& node_b_() { return *b_; }
  std::int64_t ada_ = 0;
};

TEST_F(PolicyServiceTest, ANewVersionAsksAgainOnTheNodeThatPublishedIt) {
  EXPECT_EQ(node_a_().HasAcceptedCurrent(ada_), false);
  ASSERT_TRUE(AcceptCurrent(node_a_()));
  EXPECT_EQ(node_a_().HasAcceptedCurrent(ada_), true);
  EXPECT_EQ(node_a_().HasAcceptedCurrent(ada_), true);  // from memory now

  bool told = false;
  node_a_().OnChange([&] { told = true; });
  auto v2 = node_a_().Publish("terms", "Be kinder", "# Terms, second version");
  ASSERT_TRUE(v2);
  EXPECT_TRUE(told);
  EXPECT_EQ(node_a_().Current()->terms.version, v2->version);
  EXPECT_EQ(node_a_().HasAcceptedCurrent(ada_), false);
  ASSERT_TRUE(AcceptCurrent(node_a_()));
  EXPECT_EQ(node_a_().HasAcceptedCurrent(ada_), true);
}

TEST_F(PolicyServiceTest, AnotherNodeAsksAgainOnceToldOfTheChange) {
  ASSERT_TRUE(AcceptCurrent(node_b_()));
  EXPECT_EQ(node_b_().HasAcceptedCurrent(ada_), true);
  ASSERT_TRUE(node_a_().Publish("guidelines", "Stricter", "# Guidelines, second version"));
  // Node B remembers until the cluster bus tells it (or says it missed messages).
  node_b_().ChangedElsewhere();
  EXPECT_EQ(node_b_().HasAcceptedCurrent(ada_), false);
  EXPECT_EQ(node_b_().Current()->guidelines.summary, "Stricter");
  // Accepting the version shown before the change is refused.
  EXPECT_EQ(node_b_().Accept(ada_, node_b_().Current()->terms.version, 1).error().code, ErrorCode::kConflict);
}

TEST_F(PolicyServiceTest, ANoIsNeverRemembered) {
  EXPECT_EQ(node_b_().HasAcceptedCurrent(ada_), false);
  // Accepted on another node: this one must see it at once.
  ASSERT_TRUE(AcceptCurrent(node_a_()));
  EXPECT_EQ(node_b_().HasAcceptedCurrent(ada_), true);
}

}  // namespace
}  // namespace masthead::discussion
