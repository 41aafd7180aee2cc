#pragma once

#include "ka-mock/catalogue.h"
#include "ka-mock/key_administrator.h"
#include "ka-mock/key_table.h"

namespace keyadmin::v1 {
class GetAvailableUpgradesResponse;
class Key;
class ListKeyTypesResponse;
}  // namespace keyadmin::v1

namespace ka_mock {

// Domain to keyadmin.v1 messages, for the handlers. Protos are built only
// here, when answering: the store keeps its compact records.
void ToProto(const KeyView& key, const Catalogue& catalogue,
             keyadmin::v1::Key* out);
void ToProto(const UpgradeOptions& options, const Catalogue& catalogue,
             keyadmin::v1::GetAvailableUpgradesResponse* out);
void ToProto(const Catalogue& catalogue,
             keyadmin::v1::ListKeyTypesResponse* out);

}  // namespace ka_mock
