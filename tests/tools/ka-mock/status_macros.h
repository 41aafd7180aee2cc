#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

// Unwraps a StatusOr into `lhs`, failing the test at once on an error.
#define KA_ASSERT_OK_AND_ASSIGN(lhs, expr)                                  \
  KA_ASSERT_OK_AND_ASSIGN_IMPL(KA_STATUS_CONCAT(status_or_, __LINE__), lhs, \
                               expr)
#define KA_ASSERT_OK_AND_ASSIGN_IMPL(status_or, lhs, expr) \
  auto status_or = (expr);                                 \
  ASSERT_TRUE(status_or.ok()) << status_or.status();       \
  lhs = *std::move(status_or)
#define KA_STATUS_CONCAT(a, b) KA_STATUS_CONCAT_INNER(a, b)
#define KA_STATUS_CONCAT_INNER(a, b) a##b

#define KA_ASSERT_OK(expr)                    \
  do {                                        \
    const absl::Status ka_status = (expr);    \
    ASSERT_TRUE(ka_status.ok()) << ka_status; \
  } while (false)
