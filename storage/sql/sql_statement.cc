#include "storage/sql/sql_statement.h"

#include <utility>

#include "boost/optional.hpp"
#include "soci/boost-optional.h"
#include "soci/soci.h"

namespace lss::storage {
namespace {

// SOCI binds NULL through an optional (or an indicator variable); one
// shared empty optional serves every NULL parameter.
const boost::optional<long long>& NullValue() {
  static const boost::optional<long long> null;
  return null;
}

}  // namespace

SqlParams& SqlParams::Int(long long value) {
  values_.emplace_back(value);
  return *this;
}

SqlParams& SqlParams::Text(std::string value) {
  values_.emplace_back(std::move(value));
  return *this;
}

SqlParams& SqlParams::Null() {
  values_.emplace_back(std::monostate());
  return *this;
}

SqlParams& SqlParams::TextOrNull(std::string value) {
  return value.empty() ? Null() : Text(std::move(value));
}

SqlParams& SqlParams::Add(Value value) {
  values_.push_back(std::move(value));
  return *this;
}

SqlParams& SqlParams::Append(const SqlParams& other) {
  values_.insert(values_.end(), other.values_.begin(), other.values_.end());
  return *this;
}

void SqlParams::BindTo(soci::statement& statement) const {
  for (const auto& value : values_) {
    if (const auto* integer = std::get_if<long long>(&value)) {
      statement.exchange(soci::use(*integer));
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      statement.exchange(soci::use(*text));
    } else {
      statement.exchange(soci::use(NullValue()));
    }
  }
}

long long ExecuteSql(soci::session& session, const std::string& sql, const SqlParams& params) {
  soci::statement statement(session);
  params.BindTo(statement);
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows();
}

absl::optional<long long> QueryInt(soci::session& session, const std::string& sql,
                                   const SqlParams& params) {
  long long value = 0;
  soci::indicator indicator = soci::i_ok;
  soci::statement statement(session);
  params.BindTo(statement);
  statement.exchange(soci::into(value, indicator));
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  if (!statement.execute(true) || indicator == soci::i_null) return absl::nullopt;
  return value;
}

long long LastInsertId(soci::session& session, const std::string& table) {
  long long id = 0;
  if (!session.get_last_insert_id(table, id) || id == 0) {
    throw soci::soci_error("the database reported no id for the inserted row");
  }
  return id;
}

absl::Status ForEachRow(soci::session& session, const std::string& sql, const SqlParams& params,
                        absl::FunctionRef<void(soci::statement&)> bind_row,
                        absl::FunctionRef<absl::Status()> on_row) {
  soci::statement statement(session);
  params.BindTo(statement);
  bind_row(statement);
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  for (bool got = statement.execute(true); got; got = statement.fetch()) {
    if (absl::Status status = on_row(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace lss::storage
