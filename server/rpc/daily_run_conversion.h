// Translation of daily runs to licensing.v1 messages. Pure; thread-safe.
#pragma once

#include "licensing/v1/sync.pb.h"
#include "storage/daily_run_model.h"

namespace lss {

void ToProto(const DailyRunRecord& run, licensing::v1::DailyRun* out);

}  // namespace lss
