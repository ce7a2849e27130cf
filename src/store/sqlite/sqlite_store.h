// The SQL store: every Store operation written once, in SQLite's dialect, over
// the engine-neutral Connection/Statement API (connection.h). Engines plug in
// a pool of their connections and their own numbered migrations:
//   - SQLite (sqlite_engine.h): one file in WAL mode, a small pool of
//     connections for concurrent readers and one writer at a time;
//   - PostgreSQL (store/postgres/postgres_engine.h): translates the dialect
//     and serves several Masthead nodes from one database.
// The area files (sqlite_store_<area>.cc) implement the methods of one area.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "base/embedded.h"

#include "store/store.h"

namespace masthead::store::sqlite {

class Connection;
class ConnectionPool;

class SqlStore final : public Store {
 public:
  // `migrations` are the engine's own numbered scripts (NNNN_name.sql).
  SqlStore(std::shared_ptr<ConnectionPool> pool, std::span<const EmbeddedFile> migrations);
  ~SqlStore() override;

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
  Result<std::vector<Comment>> PendingReplyMails(int limit) override;
  Status FinishReplyMails(const std::vector<std::int64_t>& reply_ids) override;
  Result<bool> ClaimLateReplyMail(std::int64_t reply_id) override;
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
  Result<bool> RenewMailLease(const RenewMailLeaseRequest& request) override;
  Status RecordMailAttempt(const MailAttemptRequest& request) override;
  Result<std::vector<OutboxMessage>> ListMail(const ListMailRequest& request) override;
  Status RetryMail(std::int64_t id, UnixSeconds now) override;
  Result<std::vector<std::pair<std::string, std::string>>> NotificationSettings(
      std::int64_t user_id) override;
  Status SetNotificationSetting(std::int64_t user_id, const std::string& kind, const std::string& mode,
                                UnixSeconds now) override;
  Status AddDigestItem(const AddDigestItemRequest& request) override;
  Result<std::vector<std::int64_t>> DueDigestUsers(const DueDigestsRequest& request) override;
  Result<std::vector<DigestItem>> ListDigestItems(std::int64_t user_id, const std::string& period) override;
  Result<int> DeleteDigestItems(const std::vector<std::int64_t>& ids) override;

  // Moderation (sqlite_store_moderation.cc).
  Result<int> ReportComment(const ReportCommentRequest& request) override;
  Status ResolveReports(std::int64_t comment_id, UnixSeconds now) override;
  Result<std::vector<ReportedComment>> ListReportedComments(int limit) override;
  Result<std::vector<Comment>> ListCommentsWithStatus(CommentStatus status, int limit) override;
  Result<int> CountPublishedCommentsBy(std::int64_t author_id) override;
  Result<ModerationAction> RecordModerationAction(const RecordModerationActionRequest& request) override;
  Result<ModerationAction> FindModerationAction(std::int64_t id) override;
  Result<std::vector<ModerationAction>> ListModerationActions(
      const ListModerationActionsRequest& request) override;
  Result<int> CountModerationActions(std::int64_t subject_user_id, const std::string& action,
                                     UnixSeconds since) override;
  Result<std::vector<DecisionCount>> DecisionsPerMonth(UnixSeconds since) override;
  Result<Sanction> AddSanction(const AddSanctionRequest& request) override;
  Result<std::vector<Sanction>> ListSanctions(std::int64_t user_id) override;
  Status LiftSanction(std::int64_t sanction_id, UnixSeconds now) override;
  Result<ModeratorNote> AddModeratorNote(std::int64_t user_id, std::int64_t author_id,
                                         const std::string& body, UnixSeconds now) override;
  Result<std::vector<ModeratorNote>> ListModeratorNotes(std::int64_t user_id) override;
  Result<Appeal> CreateAppeal(const CreateAppealRequest& request) override;
  Result<Appeal> FindAppeal(std::int64_t id) override;
  Result<std::vector<Appeal>> AppealsOfActions(const std::vector<std::int64_t>& action_ids) override;
  Result<std::vector<Appeal>> ListOpenAppeals(int limit) override;
  Result<Appeal> DecideAppeal(const DecideAppealRequest& request) override;
  // Spam and floods (sqlite_store_spam.cc).
  Status RecordCommentFingerprint(const CommentFingerprint& fingerprint) override;
  Result<FingerprintCounts> CountCommentFingerprints(const CountFingerprintsRequest& request) override;

  // Accuracy (sqlite_store_accuracy.cc).
  Result<AccuracyCase> CreateAccuracyCase(const CreateAccuracyCaseRequest& request) override;
  Result<AccuracyCase> FindAccuracyCase(std::int64_t id) override;
  Result<std::vector<AccuracyCase>> ListAccuracyCases(const ListAccuracyCasesRequest& request) override;
  Result<AccuracyCase> ChangeAccuracyCase(const ChangeAccuracyCaseRequest& request) override;
  Result<std::vector<AccuracyEvent>> ListAccuracyEvents(std::int64_t case_id) override;
  Result<std::vector<AccuracyCase>> ListWaitingAccuracyCases(UnixSeconds changed_before, int limit) override;
  Status MarkAccuracyCaseReminded(std::int64_t id, UnixSeconds now) override;
  Result<Correction> CreateCorrection(const CreateCorrectionRequest& request) override;
  Result<std::vector<Correction>> ListCorrections(const ListCorrectionsRequest& request) override;
  Result<AccuracyInvite> CreateAccuracyInvite(const CreateAccuracyInviteRequest& request) override;
  Result<AccuracyInvite> FindAccuracyInvite(std::int64_t id) override;
  Status UseAccuracyInvite(std::int64_t id, UnixSeconds now) override;
  Result<EditorMessage> CreateEditorMessage(const CreateEditorMessageRequest& request) override;
  Result<EditorMessage> FindEditorMessage(std::int64_t id) override;
  Result<std::vector<EditorMessage>> ListEditorMessages(const std::string& status, int limit,
                                                        const std::string& sender_email) override;
  Status SetEditorMessageStatus(std::int64_t id, const std::string& status, std::optional<std::int64_t> case_id,
                                UnixSeconds now) override;
  Result<EditorMessageReply> AddEditorMessageReply(std::int64_t message_id, std::int64_t author_id,
                                                   const std::string& body, UnixSeconds now) override;
  Result<std::vector<EditorMessageReply>> ListEditorMessageReplies(std::int64_t message_id) override;

  // Technical-problem reports (sqlite_store_support.cc).
  Result<SupportTicket> CreateSupportTicket(const CreateSupportTicketRequest& request) override;
  Result<SupportTicket> FindSupportTicket(std::int64_t id) override;
  Result<std::vector<SupportTicket>> ListSupportTickets(const ListSupportTicketsRequest& request) override;
  Result<SupportTicket> SetSupportTicketStatus(const SetSupportTicketStatusRequest& request) override;

  // Reader questions (sqlite_store_questions.cc).
  Result<Question> CreateQuestion(const CreateQuestionRequest& request) override;
  Result<Question> FindQuestion(std::int64_t id) override;
  Result<std::vector<Question>> ListQuestions(const ListQuestionsRequest& request) override;
  Result<int> VoteQuestion(const VoteQuestionRequest& request) override;
  Result<std::vector<std::int64_t>> VotedQuestions(std::int64_t user_id,
                                                   const std::vector<std::int64_t>& question_ids) override;
  Result<Question> AnswerQuestion(const AnswerQuestionRequest& request) override;
  Result<Question> DeclineQuestion(const DeclineQuestionRequest& request) override;
  Result<Question> MergeQuestion(const MergeQuestionRequest& request) override;
  Result<Question> LinkFollowUp(const LinkFollowUpRequest& request) override;
  Result<std::vector<std::int64_t>> QuestionWatchers(std::int64_t question_id) override;
  Result<std::vector<Question>> ListDueFollowUps(UnixSeconds now, int limit) override;
  Result<bool> MarkFollowUpNotified(std::int64_t question_id, UnixSeconds now) override;
  Result<std::vector<ArticleLink>> FollowUpsOf(std::int64_t article_id, UnixSeconds now) override;
  Result<std::vector<ArticleLink>> FollowedUpBy(std::int64_t followup_article_id, UnixSeconds now) override;
  Status SetQuestionExpert(std::int64_t article_id, std::int64_t user_id, bool assigned, UnixSeconds now) override;
  Result<bool> IsQuestionExpert(std::int64_t article_id, std::int64_t user_id) override;
  Result<std::vector<OpenQuestion>> ListOpenQuestions(std::int64_t article_id) override;
  Result<OpenQuestion> AddOpenQuestion(std::int64_t article_id, const std::string& body, std::int64_t created_by,
                                       UnixSeconds now) override;
  Status RemoveOpenQuestion(std::int64_t article_id, std::int64_t id) override;
  // Newsroom (sqlite_store_newsroom.cc).
  Result<InboxClaim> ClaimInboxItem(const ClaimInboxItemRequest& request) override;
  Status ReleaseInboxClaim(const std::string& queue, std::int64_t item_id, std::int64_t user_id) override;
  Result<std::vector<InboxClaim>> ListInboxClaims(UnixSeconds now) override;
  Result<NewsroomFigures> CountNewsroomFigures(const NewsroomFiguresRequest& request) override;
  Result<std::vector<User>> SearchUsers(const SearchUsersRequest& request) override;
  Result<std::vector<Comment>> ListCommentsByAuthor(std::int64_t author_id, int limit) override;
  Result<std::vector<FiledReport>> ListReportsBy(std::int64_t reporter_id, int limit) override;
  Result<AccountDeletion> ScheduleAccountDeletion(const ScheduleAccountDeletionRequest& request) override;
  Result<AccountDeletion> FindAccountDeletion(std::int64_t user_id) override;
  Status CancelAccountDeletion(std::int64_t user_id) override;
  Result<std::vector<AccountDeletion>> ListDueAccountDeletions(UnixSeconds now, int limit) override;
  Status AnonymiseUser(const AnonymiseUserRequest& request) override;
  // Newsroom tools: editor's list, withdrawals, announcements, desks, imports,
  // webhooks (sqlite_store_editorial.cc).
  Result<std::vector<EditorArticle>> ListEditorArticles(const ListEditorArticlesRequest& request) override;
  Status WithdrawArticle(const WithdrawArticleRequest& request) override;
  Status ClearWithdrawal(std::int64_t article_id) override;
  Result<ArticleWithdrawal> FindWithdrawal(const std::string& slug) override;
  Result<std::vector<std::int64_t>> ClaimDuePublications(const ClaimPublicationsRequest& request) override;
  Status MarkPublicationAnnounced(std::int64_t article_id, UnixSeconds published_at, UnixSeconds now) override;
  Result<Desk> PutDesk(const PutDeskRequest& request) override;
  Result<std::vector<Desk>> ListDesks() override;
  Status SetSectionDesk(const std::string& section_slug, const std::string& desk_slug) override;
  Result<std::int64_t> FindImportedItem(const ImportedItemKey& key) override;
  Status RecordImportedItem(const ImportedItemKey& key, std::int64_t local_id, UnixSeconds now) override;
  Result<std::int64_t> EnqueueWebhook(const EnqueueWebhookRequest& request) override;
  Result<std::vector<WebhookDelivery>> ClaimDueWebhooks(const ClaimWebhooksRequest& request) override;
  Status RecordWebhookAttempt(const WebhookAttemptRequest& request) override;
  Result<std::vector<WebhookDelivery>> ListWebhooks(const std::string& status, int limit) override;

 private:
  // A view bound to one connection inside Transact.
  SqlStore(std::shared_ptr<ConnectionPool> pool, std::span<const EmbeddedFile> migrations, Connection* bound);

  // Runs `fn` with a connection: the bound one inside a transaction, else one
  // borrowed from the pool for the call.
  template <typename Fn>
  auto WithConnection(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));
  // Like WithConnection, inside a write transaction unless already in one.
  template <typename Fn>
  auto WithWrite(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));

  std::shared_ptr<ConnectionPool> pool_;
  std::span<const EmbeddedFile> migrations_;
  Connection* bound_ = nullptr;
};

// The name the area files define their methods under, from when SQLite was
// the only engine.
using SqliteStore = SqlStore;

}  // namespace masthead::store::sqlite
