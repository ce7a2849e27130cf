// The embedded engine: one SQLite file in WAL mode, a small pool of connections
// for concurrent readers and one writer at a time.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace masthead::store::sqlite {

class Connection;
class ConnectionPool;

struct SqliteOptions {
  std::string path;
  int max_connections = 8;
  // "normal" is durable against a crash of the process (the WAL is in the OS);
  // "full" also against power loss, at the cost of an fsync per commit.
  std::string synchronous = "normal";
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database. Does not migrate: call Migrate().
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);
  ~SqliteStore() override;

  Result<int> Migrate() override;
  Result<int> SchemaVersion() override;
  Status Transact(const std::function<Status(Store&)>& fn) override;

  Result<Section> PutSection(const PutSectionRequest& request) override;
  Result<std::vector<Section>> ListSections() override;

  Result<Article> CreateArticle(const CreateArticleRequest& request) override;
  Result<Article> UpdateArticle(const UpdateArticleRequest& request) override;
  Result<Article> FindArticle(const FindArticleRequest& request) override;
  Result<std::vector<ArticleSummary>> ListArticles(const ListArticlesRequest& request) override;
  Result<std::vector<SearchHit>> SearchArticles(const SearchArticlesRequest& request) override;
  Result<std::vector<Revision>> ListRevisions(std::int64_t article_id) override;
  Result<std::int64_t> CountArticles() override;

  Result<User> CreateUser(const CreateUserRequest& request) override;
  Result<User> FindUser(const FindUserRequest& request) override;
  Result<User> UpdateUser(const UpdateUserRequest& request) override;
  Status CreateSession(const CreateSessionRequest& request) override;
  Result<Session> FindSession(const std::string& token_hash, UnixSeconds now) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteUserSessions(std::int64_t user_id, const std::string& keep_token_hash) override;
  Status CreateUserToken(const CreateUserTokenRequest& request) override;
  Result<std::int64_t> ConsumeUserToken(const ConsumeUserTokenRequest& request) override;
  Result<RateLimitDecision> HitRateLimit(const RateLimitRequest& request) override;
  Status ClearRateLimit(const std::string& key) override;
  Result<PolicyVersion> PublishPolicy(const PublishPolicyRequest& request) override;
  Result<PolicyVersion> CurrentPolicy(const std::string& kind) override;
  Status RecordAcceptance(const PolicyAcceptance& acceptance) override;
  Result<bool> HasAccepted(const PolicyAcceptance& acceptance) override;
  Result<std::string> GetOrCreateSetting(const std::string& name,
                                         const std::string& initial) override;

  Result<Comment> CreateComment(const CreateCommentRequest& request) override;
  Result<Comment> FindComment(std::int64_t id) override;
  Result<std::vector<Comment>> ListThreads(const ListThreadsRequest& request) override;
  Result<std::vector<Comment>> ListReplies(const ListRepliesRequest& request) override;
  Result<std::vector<Comment>> ListCommentsAfter(std::int64_t article_id, std::int64_t after_id,
                                                 int limit) override;
  Result<Comment> UpdateComment(const UpdateCommentRequest& request) override;
  Result<int> React(const ReactRequest& request) override;
  Result<std::vector<std::int64_t>> ReactedComments(
      std::int64_t user_id, const std::vector<std::int64_t>& comment_ids) override;
  Status SetIgnored(std::int64_t user_id, std::int64_t ignored_user_id, bool ignored,
                    UnixSeconds now) override;
  Result<std::vector<std::int64_t>> IgnoredUsers(std::int64_t user_id) override;
  Result<Discussion> FindDiscussion(std::int64_t article_id) override;
  Status SetDiscussionClosed(std::int64_t article_id, bool closed, UnixSeconds now) override;
  Result<std::vector<Discussion>> ListDiscussions(
      const std::vector<std::int64_t>& article_ids) override;

  Result<std::int64_t> EnqueueMail(const EnqueueMailRequest& request) override;
  Result<std::vector<OutboxMessage>> ClaimDueMail(const ClaimMailRequest& request) override;
  Status RecordMailAttempt(const MailAttemptRequest& request) override;
  Result<std::vector<OutboxMessage>> ListMail(const ListMailRequest& request) override;
  Status RetryMail(std::int64_t id, UnixSeconds now) override;
  Result<std::vector<std::pair<std::string, std::string>>> NotificationSettings(
      std::int64_t user_id) override;
  Status SetNotificationSetting(std::int64_t user_id, const std::string& kind, const std::string& mode,
                                UnixSeconds now) override;

  // Technical-problem reports (sqlite_store_support.cc).
  Result<SupportTicket> CreateSupportTicket(const CreateSupportTicketRequest& request) override;
  Result<SupportTicket> FindSupportTicket(std::int64_t id) override;
  Result<std::vector<SupportTicket>> ListSupportTickets(const ListSupportTicketsRequest& request) override;
  Result<SupportTicket> SetSupportTicketStatus(const SetSupportTicketStatusRequest& request) override;

 private:
  // A view bound to one connection inside Transact.
  SqliteStore(std::shared_ptr<ConnectionPool> pool, Connection* bound);

  // Runs `fn` with a connection: the bound one inside a transaction, else one
  // borrowed from the pool for the call.
  template <typename Fn>
  auto WithConnection(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));
  // Like WithConnection, inside a write transaction unless already in one.
  template <typename Fn>
  auto WithWrite(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));

  std::shared_ptr<ConnectionPool> pool_;
  Connection* bound_ = nullptr;
};

}  // namespace masthead::store::sqlite
