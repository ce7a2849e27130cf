#include "mail/message_codec.h"

#include <nlohmann/json.hpp>

namespace masthead::mail {
namespace {

using nlohmann::json;

json AddressJson(const Address& address) {
  return {{"name", address.name}, {"address", address.address}};
}

Address AddressFrom(const json& j) {
  return {j.at("name").get<std::string>(), j.at("address").get<std::string>()};
}

std::string Dump(const json& j) {
  // Invalid UTF-8 cannot be in a validated message; replace rather than throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Message> DecodeNotification(const json& j) {
  auto kind = NotificationKindFromName(j.at("notification").get<std::string>());
  if (!kind) return tl::unexpected(kind.error());
  NotificationFields fields;
  for (const auto& [key, value] : j.at("fields").items()) fields[key] = value.get<std::string>();
  const json& e = j.at("envelope");
  NotificationEnvelope envelope;
  envelope.from = AddressFrom(e.at("from"));
  envelope.to = AddressFrom(e.at("to"));
  for (const json& address : e.at("reply_to")) envelope.reply_to.push_back(AddressFrom(address));
  envelope.unsubscribe_url = e.at("unsubscribe_url").get<std::string>();
  envelope.unsubscribe_mailto = e.at("unsubscribe_mailto").get<std::string>();
  envelope.message_id = e.at("message_id").get<std::string>();
  envelope.date = e.at("date").get<std::int64_t>();
  if (envelope.message_id.empty() || envelope.date == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "stored notification has no Message-ID or date",
                     "message");
  }
  return ComposeNotification(*kind, fields, envelope);
}

}  // namespace

std::string EncodeNotification(NotificationKind kind, const NotificationFields& fields,
                               const NotificationEnvelope& envelope) {
  json reply_to = json::array();
  for (const Address& address : envelope.reply_to) reply_to.push_back(AddressJson(address));
  json j = {{"v", 2},
            {"notification", NotificationKindName(kind)},
            {"fields", fields},
            {"envelope",
             {{"from", AddressJson(envelope.from)},
              {"to", AddressJson(envelope.to)},
              {"reply_to", reply_to},
              {"unsubscribe_url", envelope.unsubscribe_url},
              {"unsubscribe_mailto", envelope.unsubscribe_mailto},
              {"message_id", envelope.message_id},
              {"date", envelope.date}}}};
  return Dump(j);
}

std::string EncodeMessage(const Message& message) {
  json reply_to = json::array();
  for (const Address& address : message.reply_to) reply_to.push_back(AddressJson(address));
  json headers = json::array();
  for (const Header& header : message.headers) headers.push_back({header.name, header.value});
  json j = {{"v", 1},
            {"from", AddressJson(message.from)},
            {"to", AddressJson(message.to)},
            {"reply_to", reply_to},
            {"subject", message.subject},
            {"text", message.text_body},
            {"html", message.html_body},
            {"headers", headers},
            {"message_id", message.message_id},
            {"date", message.date}};
  return Dump(j);
}

Result<Message> DecodeMessage(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "stored message is not a JSON object",
                     "message");
  }
  Message message;
  try {  // json's accessors throw on a missing key or a wrong type; keep that in here
    const int version = j.at("v").get<int>();
    if (version == 2) return DecodeNotification(j);
    if (version != 1) {
      return MakeError(ErrorCode::kInvalidArgument, "unknown stored message version", "message");
    }
    message.from = AddressFrom(j.at("from"));
    message.to = AddressFrom(j.at("to"));
    for (const json& address : j.at("reply_to")) message.reply_to.push_back(AddressFrom(address));
    message.subject = j.at("subject").get<std::string>();
    message.text_body = j.at("text").get<std::string>();
    message.html_body = j.at("html").get<std::string>();
    for (const json& header : j.at("headers")) {
      message.headers.push_back({header.at(0).get<std::string>(), header.at(1).get<std::string>()});
    }
    message.message_id = j.at("message_id").get<std::string>();
    message.date = j.at("date").get<std::int64_t>();
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("stored message: ") + e.what(),
                     "message");
  }
  MASTHEAD_RETURN_IF_ERROR(ValidateMessage(message));
  return message;
}

}  // namespace masthead::mail
