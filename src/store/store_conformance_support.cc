// The Store contract for technical-problem reports (support tickets).
#include "store/store_conformance.h"

namespace masthead::store {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;

CreateSupportTicketRequest Report(const std::string& problem, UnixSeconds now = kNow) {
  CreateSupportTicketRequest request;
  request.article = "some-article";
  request.problem = problem;
  request.steps = "Opened the page.";
  request.email = "reader@example.org";
  request.environment = {.device = "desktop", .os = "Linux", .browser = "Chromium 124", .screen = "1920 × 1080",
                         .window = "1280 × 720", .timezone = "Europe/Berlin", .language = "de-DE",
                         .detected = "Chromium 124 on Linux (desktop)",
                         .user_agent = "Mozilla/5.0 (X11; Linux x86_64) <script>",
                         .client_hints = "sec-ch-ua-platform: \"Linux\""};
  request.network = "203.0.113.0/24";
  request.now = now;
  return request;
}

TEST_P(StoreConformanceTest, SupportTicketsKeepEveryFieldAndGetIncreasingNumbers) {
  auto first = store_->CreateSupportTicket(Report("The page is blank"));
  ASSERT_TRUE(first) << first.error().ToString();
  auto second = store_->CreateSupportTicket(Report("Video does not play", kNow + 5));
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_GT(first->id, 0);
  EXPECT_GT(second->id, first->id);

  auto found = store_->FindSupportTicket(first->id);
  ASSERT_TRUE(found) << found.error().ToString();
  const CreateSupportTicketRequest sent = Report("The page is blank");
  EXPECT_EQ(found->status, "open");
  EXPECT_EQ(found->article, sent.article);
  EXPECT_EQ(found->problem, sent.problem);
  EXPECT_EQ(found->steps, sent.steps);
  EXPECT_EQ(found->email, sent.email);
  EXPECT_EQ(found->environment.device, sent.environment.device);
  EXPECT_EQ(found->environment.os, sent.environment.os);
  EXPECT_EQ(found->environment.browser, sent.environment.browser);
  EXPECT_EQ(found->environment.screen, sent.environment.screen);
  EXPECT_EQ(found->environment.window, sent.environment.window);
  EXPECT_EQ(found->environment.timezone, sent.environment.timezone);
  EXPECT_EQ(found->environment.language, sent.environment.language);
  EXPECT_EQ(found->environment.detected, sent.environment.detected);
  EXPECT_EQ(found->environment.user_agent, sent.environment.user_agent);
  EXPECT_EQ(found->environment.client_hints, sent.environment.client_hints);
  EXPECT_EQ(found->network, sent.network);
  EXPECT_EQ(found->created_at, kNow);
  EXPECT_EQ(found->updated_at, kNow);
  EXPECT_FALSE(found->closed_at);
  EXPECT_EQ(store_->FindSupportTicket(second->id + 100).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ARolledBackSupportTicketLeavesNothing) {
  std::int64_t rolled_back = 0;
  auto failed = store_->Transact([&](Store& tx) -> Status {
    auto ticket = tx.CreateSupportTicket(Report("lost"));
    if (!ticket) return tl::unexpected(ticket.error());
    rolled_back = ticket->id;
    return MakeError(ErrorCode::kUnavailable, "the mail could not be queued");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(store_->FindSupportTicket(rolled_back).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->ListSupportTickets({})->empty());  // nothing half-stored
  auto next = store_->CreateSupportTicket(Report("kept"));
  ASSERT_TRUE(next);
  EXPECT_GE(next->id, rolled_back);
}

TEST_P(StoreConformanceTest, SupportTicketsListNewestFirstByStatusInPages) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(store_->CreateSupportTicket(Report("p" + std::to_string(i), kNow + i))->id);
  auto closed = store_->SetSupportTicketStatus({ids[1], "closed", 0, kNow + 10});
  ASSERT_TRUE(closed) << closed.error().ToString();
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(closed->closed_at, kNow + 10);
  EXPECT_EQ(closed->updated_at, kNow + 10);

  auto open = store_->ListSupportTickets({"open", 10});
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 4u);
  EXPECT_EQ((*open)[0].id, ids[4]);
  EXPECT_EQ((*open)[3].id, ids[0]);
  auto only_closed = store_->ListSupportTickets({"closed", 10});
  ASSERT_EQ(only_closed->size(), 1u);
  EXPECT_EQ((*only_closed)[0].id, ids[1]);
  EXPECT_EQ(store_->ListSupportTickets({"", 10})->size(), 5u);

  auto page1 = store_->ListSupportTickets({"", 2});
  ASSERT_EQ(page1->size(), 2u);
  auto page2 = store_->ListSupportTickets({"", 2, page1->back().id});
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].id, ids[2]);
  EXPECT_EQ((*page2)[1].id, ids[1]);
}

TEST_P(StoreConformanceTest, SupportTicketsAreFoundByTheirSendersAddressInAnyCase) {
  ASSERT_TRUE(store_->CreateSupportTicket(Report("Mine")));
  auto other = Report("Someone else's");
  other.email = "other@example.org";
  ASSERT_TRUE(store_->CreateSupportTicket(other));
  auto anonymous = Report("No address given");
  anonymous.email = "";
  ASSERT_TRUE(store_->CreateSupportTicket(anonymous));
  auto mine = store_->ListSupportTickets({.status = "", .limit = 10, .email = "Reader@Example.org"});
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].problem, "Mine");
  EXPECT_EQ(store_->ListSupportTickets({.status = "", .limit = 10})->size(), 3u);
}

TEST_P(StoreConformanceTest, SupportTicketsCloseWithWhoAndReopen) {
  auto staff = store_->CreateUser({.email = "staff@example.org", .display_name = "Staff",
                                   .password_hash = "$argon2id$x", .role = "moderator", .now = kNow});
  ASSERT_TRUE(staff);
  const auto id = store_->CreateSupportTicket(Report("blank"))->id;
  auto closed = store_->SetSupportTicketStatus({id, "closed", staff->id, kNow + 60});
  ASSERT_TRUE(closed) << closed.error().ToString();
  EXPECT_EQ(closed->closed_by, staff->id);
  auto reopened = store_->SetSupportTicketStatus({id, "open", staff->id, kNow + 120});
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->status, "open");
  EXPECT_FALSE(reopened->closed_at);
  EXPECT_FALSE(reopened->closed_by);
  EXPECT_EQ(reopened->updated_at, kNow + 120);
  EXPECT_EQ(store_->SetSupportTicketStatus({id, "spam", staff->id, kNow}).error().field, "status");
  EXPECT_EQ(store_->SetSupportTicketStatus({id + 50, "closed", staff->id, kNow}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindSupportTicket(id)->status, "open");
}

}  // namespace
}  // namespace masthead::store
