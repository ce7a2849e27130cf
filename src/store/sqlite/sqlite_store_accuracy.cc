// The SQLite engine's accuracy cases, corrections, invites and messages to the editors.
#include "store/sqlite/statements_accuracy.h"
#include "store/sqlite/store_internal.h"

namespace masthead::store::sqlite {
namespace {

AccuracyCase ReadCase(const Statement& s) {
  AccuracyCase c;
  c.id = s.Int(0);
  c.article_id = s.Int(1);
  c.relation = s.Text(2);
  c.passage_anchor = s.Text(3);
  c.quote = s.Text(4);
  c.wrong_text = s.Text(5);
  c.right_text = s.Text(6);
  c.evidence_url = s.Text(7);
  c.requester_name = s.Text(8);
  c.requester_email = s.Text(9);
  c.may_contact = s.Int(10) != 0;
  c.invite_id = s.OptionalInt(11);
  c.state = s.Text(12);
  c.outcome = s.Text(13);
  c.owner_id = s.Int(14);
  c.owner_name = s.Text(15);
  c.article_slug = s.Text(16);
  c.article_headline = s.Text(17);
  c.section_slug = s.Text(18);
  c.created_at = s.Int(19);
  c.updated_at = s.Int(20);
  c.state_changed_at = s.Int(21);
  c.reminded_at = s.OptionalInt(22);
  return c;
}

AccuracyEvent ReadEvent(const Statement& s) {
  return AccuracyEvent{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Int(7)};
}

Correction ReadCorrection(const Statement& s) {
  Correction c;
  c.id = s.Int(0);
  c.article_id = s.Int(1);
  c.case_id = s.OptionalInt(2);
  c.kind = s.Text(3);
  c.placement = s.Text(4);
  c.notice = s.Text(5);
  c.revision = static_cast<int>(s.Int(6));
  c.published_at = s.Int(7);
  c.article_slug = s.Text(8);
  c.article_headline = s.Text(9);
  return c;
}

AccuracyInvite ReadInvite(const Statement& s) {
  return AccuracyInvite{s.Int(0), s.Int(1), s.OptionalInt(2), s.Text(3), s.Text(4),
                        s.Int(5), s.Int(6), s.OptionalInt(7)};
}

EditorMessage ReadMessage(const Statement& s) {
  EditorMessage m;
  m.id = s.Int(0);
  m.article_id = s.Int(1);
  m.desk = s.Text(2);
  m.sender_name = s.Text(3);
  m.sender_email = s.Text(4);
  m.user_id = s.OptionalInt(5);
  m.body = s.Text(6);
  m.status = s.Text(7);
  m.case_id = s.OptionalInt(8);
  m.article_slug = s.Text(9);
  m.article_headline = s.Text(10);
  m.created_at = s.Int(11);
  m.updated_at = s.Int(12);
  return m;
}

EditorMessageReply ReadReply(const Statement& s) {
  return EditorMessageReply{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Int(5)};
}

// Foreign keys fail as kInvalidArgument in the engine; to callers they name a
// missing row.
Error MissingReference(Error error, const char* what) {
  if (error.code == ErrorCode::kInvalidArgument) {
    error.code = ErrorCode::kNotFound;
    error.message = std::string("the ") + what + " does not exist";
  }
  return error;
}

Status InsertEvent(Connection& connection, std::int64_t case_id, std::int64_t actor_id, const std::string& from,
                   const std::string& to, const std::string& note, UnixSeconds now) {
  auto statement = connection.Prepare(sql::kInsertAccuracyEvent);
  if (!statement) return tl::unexpected(statement.error());
  Statement& s = **statement;
  s.Bind(1, case_id);
  s.Bind(2, actor_id == 0 ? std::optional<std::int64_t>() : std::optional<std::int64_t>(actor_id));
  s.Bind(3, from);
  s.Bind(4, to);
  s.Bind(5, note);
  s.Bind(6, now);
  if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "actor"));
  return Ok();
}

}  // namespace

Result<AccuracyCase> SqliteStore::CreateAccuracyCase(const CreateAccuracyCaseRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<AccuracyCase> {
    auto statement = connection.Prepare(sql::kInsertAccuracyCase);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    const AccuracyCase& f = request.fields;
    s.Bind(1, f.article_id);
    s.Bind(2, f.relation);
    s.Bind(3, f.passage_anchor);
    s.Bind(4, f.quote);
    s.Bind(5, f.wrong_text);
    s.Bind(6, f.right_text);
    s.Bind(7, f.evidence_url);
    s.Bind(8, f.requester_name);
    s.Bind(9, f.requester_email);
    s.Bind(10, static_cast<std::int64_t>(f.may_contact ? 1 : 0));
    s.Bind(11, f.invite_id);
    s.Bind(12, request.now);
    if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "article or invite"));
    const std::int64_t id = connection.LastInsertId();
    MASTHEAD_RETURN_IF_ERROR(InsertEvent(connection, id, 0, "", "new", request.note, request.now));
    return ReadOne<AccuracyCase>(connection, sql::kFindAccuracyCase, id, ReadCase, "case");
  });
}

Result<AccuracyCase> SqliteStore::FindAccuracyCase(std::int64_t id) {
  return WithConnection([&](Connection& connection) {
    return ReadOne<AccuracyCase>(connection, sql::kFindAccuracyCase, id, ReadCase, "case");
  });
}

Result<std::vector<AccuracyCase>> SqliteStore::ListAccuracyCases(const ListAccuracyCasesRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<AccuracyCase>> {
    auto statement = connection.Prepare(sql::kListAccuracyCases);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, request.state);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 1000)));
    (*statement)->Bind(3, request.requester_email);
    return ReadAll<AccuracyCase>(**statement, ReadCase);
  });
}

Result<AccuracyCase> SqliteStore::ChangeAccuracyCase(const ChangeAccuracyCaseRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<AccuracyCase> {
    auto statement = connection.Prepare(sql::kChangeAccuracyCase);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.id);
    s.Bind(2, request.expected_state);
    s.Bind(3, request.state);
    s.Bind(4, request.outcome);
    s.Bind(5, request.owner_id);
    s.Bind(6, request.now);
    if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "owner"));
    if (connection.Changes() == 0) {
      auto exists = ReadOne<bool>(connection, sql::kAccuracyCaseExists, request.id, [](const Statement&) { return true; }, "case");
      if (!exists) return tl::unexpected(exists.error());
      return MakeError(ErrorCode::kConflict, "the case is no longer " + request.expected_state +
                                                 "; someone changed it meanwhile", "state");
    }
    MASTHEAD_RETURN_IF_ERROR(InsertEvent(connection, request.id, request.actor_id, request.expected_state,
                                         request.state, request.note, request.now));
    return ReadOne<AccuracyCase>(connection, sql::kFindAccuracyCase, request.id, ReadCase, "case");
  });
}

Result<std::vector<AccuracyEvent>> SqliteStore::ListAccuracyEvents(std::int64_t case_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<AccuracyEvent>> {
    auto statement = connection.Prepare(sql::kListAccuracyEvents);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, case_id);
    return ReadAll<AccuracyEvent>(**statement, ReadEvent);
  });
}

Result<std::vector<AccuracyCase>> SqliteStore::ListWaitingAccuracyCases(UnixSeconds changed_before, int limit) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<AccuracyCase>> {
    auto statement = connection.Prepare(sql::kListWaitingAccuracyCases);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, changed_before);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    return ReadAll<AccuracyCase>(**statement, ReadCase);
  });
}

Status SqliteStore::MarkAccuracyCaseReminded(std::int64_t id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kMarkAccuracyCaseReminded);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, id);
    (*statement)->Bind(2, now);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    if (connection.Changes() > 0) return Ok();
    auto exists = connection.Prepare(sql::kAccuracyCaseExists);
    if (!exists) return tl::unexpected(exists.error());
    (*exists)->Bind(1, id);
    auto row = (*exists)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "no such case");
    return MakeError(ErrorCode::kConflict, "the case was already reminded about since its last change");
  });
}

Result<Correction> SqliteStore::CreateCorrection(const CreateCorrectionRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<Correction> {
    auto statement = connection.Prepare(sql::kInsertCorrection);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id);
    s.Bind(2, request.case_id);
    s.Bind(3, request.kind);
    s.Bind(4, request.placement);
    s.Bind(5, request.notice);
    s.Bind(6, static_cast<std::int64_t>(request.revision));
    s.Bind(7, request.now);
    if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "article or case"));
    return ReadOne<Correction>(connection, sql::kFindCorrection, connection.LastInsertId(), ReadCorrection, "correction");
  });
}

Result<std::vector<Correction>> SqliteStore::ListCorrections(const ListCorrectionsRequest& request) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<Correction>> {
    auto statement = connection.Prepare(sql::kListCorrections);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, request.article_id);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(request.limit, 1, 10000)));
    return ReadAll<Correction>(**statement, ReadCorrection);
  });
}

Result<AccuracyInvite> SqliteStore::CreateAccuracyInvite(const CreateAccuracyInviteRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<AccuracyInvite> {
    auto statement = connection.Prepare(sql::kInsertAccuracyInvite);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id);
    s.Bind(2, request.case_id);
    s.Bind(3, request.email);
    s.Bind(4, request.name);
    s.Bind(5, request.now);
    s.Bind(6, request.expires_at);
    if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "article"));
    return ReadOne<AccuracyInvite>(connection, sql::kFindAccuracyInvite, connection.LastInsertId(), ReadInvite, "invite");
  });
}

Result<AccuracyInvite> SqliteStore::FindAccuracyInvite(std::int64_t id) {
  return WithConnection([&](Connection& connection) {
    return ReadOne<AccuracyInvite>(connection, sql::kFindAccuracyInvite, id, ReadInvite, "invite");
  });
}

Status SqliteStore::UseAccuracyInvite(std::int64_t id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kUseAccuracyInvite);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, id);
    (*statement)->Bind(2, now);
    MASTHEAD_RETURN_IF_ERROR((*statement)->Run());
    if (connection.Changes() > 0) return Ok();
    auto invite = ReadOne<AccuracyInvite>(connection, sql::kFindAccuracyInvite, id, ReadInvite, "invite");
    if (!invite) return tl::unexpected(invite.error());
    return MakeError(ErrorCode::kConflict, "this invitation was used already");
  });
}

Result<EditorMessage> SqliteStore::CreateEditorMessage(const CreateEditorMessageRequest& request) {
  return WithWrite([&](Connection& connection) -> Result<EditorMessage> {
    auto statement = connection.Prepare(sql::kInsertEditorMessage);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, request.article_id);
    s.Bind(2, request.desk);
    s.Bind(3, request.sender_name);
    s.Bind(4, request.sender_email);
    s.Bind(5, request.user_id);
    s.Bind(6, request.body);
    s.Bind(7, request.now);
    if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "article or user"));
    return ReadOne<EditorMessage>(connection, sql::kFindEditorMessage, connection.LastInsertId(), ReadMessage, "message");
  });
}

Result<EditorMessage> SqliteStore::FindEditorMessage(std::int64_t id) {
  return WithConnection([&](Connection& connection) {
    return ReadOne<EditorMessage>(connection, sql::kFindEditorMessage, id, ReadMessage, "message");
  });
}

Result<std::vector<EditorMessage>> SqliteStore::ListEditorMessages(const std::string& status, int limit,
                                                                   const std::string& sender_email) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<EditorMessage>> {
    auto statement = connection.Prepare(sql::kListEditorMessages);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, status);
    (*statement)->Bind(2, static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    (*statement)->Bind(3, sender_email);
    return ReadAll<EditorMessage>(**statement, ReadMessage);
  });
}

Status SqliteStore::SetEditorMessageStatus(std::int64_t id, const std::string& status,
                                           std::optional<std::int64_t> case_id, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Status {
    auto statement = connection.Prepare(sql::kSetEditorMessageStatus);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, id);
    (*statement)->Bind(2, status);
    (*statement)->Bind(3, case_id);
    (*statement)->Bind(4, now);
    if (auto run = (*statement)->Run(); !run) return tl::unexpected(MissingReference(run.error(), "case"));
    if (connection.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such message");
    return Ok();
  });
}

Result<EditorMessageReply> SqliteStore::AddEditorMessageReply(std::int64_t message_id, std::int64_t author_id,
                                                              const std::string& body, UnixSeconds now) {
  return WithWrite([&](Connection& connection) -> Result<EditorMessageReply> {
    auto statement = connection.Prepare(sql::kInsertEditorMessageReply);
    if (!statement) return tl::unexpected(statement.error());
    Statement& s = **statement;
    s.Bind(1, message_id);
    s.Bind(2, author_id);
    s.Bind(3, body);
    s.Bind(4, now);
    if (auto run = s.Run(); !run) return tl::unexpected(MissingReference(run.error(), "message or author"));
    const std::int64_t id = connection.LastInsertId();
    auto list = connection.Prepare(sql::kListEditorMessageReplies);
    if (!list) return tl::unexpected(list.error());
    (*list)->Bind(1, message_id);
    auto replies = ReadAll<EditorMessageReply>(**list, ReadReply);
    if (!replies) return tl::unexpected(replies.error());
    for (auto& reply : *replies) {
      if (reply.id == id) return reply;
    }
    return MakeError(ErrorCode::kInternal, "the reply just stored was not found");
  });
}

Result<std::vector<EditorMessageReply>> SqliteStore::ListEditorMessageReplies(std::int64_t message_id) {
  return WithConnection([&](Connection& connection) -> Result<std::vector<EditorMessageReply>> {
    auto statement = connection.Prepare(sql::kListEditorMessageReplies);
    if (!statement) return tl::unexpected(statement.error());
    (*statement)->Bind(1, message_id);
    return ReadAll<EditorMessageReply>(**statement, ReadReply);
  });
}

}  // namespace masthead::store::sqlite
