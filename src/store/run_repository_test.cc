#include "store/run_repository.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

using nlohmann::json;
using testing::StoreTest;

class RunRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    migrate(sql());
  }
};

TEST_P(RunRepositoryTest, StartSucceedFindAndList) {
  RunRepository runs(sql());
  NewRun n;
  n.kind = "train";
  n.input_key = "key1";
  n.params = {{"max_depth", 3}};
  n.inputs = {{"dataset_sha256", "d"}};
  n.code_version = "0.1.0+abc";
  const auto id = runs.start(n);
  auto r = runs.find(id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "running");
  EXPECT_EQ(r->pid, ::getpid());
  EXPECT_FALSE(runs.latest_succeeded("train", "key1"));
  runs.merge_params(id, {{"rounds", 10}});
  runs.succeed(id, {{"accuracy", 0.9}}, json::array({{{"name", "model"}, {"path", "/x"}, {"sha256", "h"}}}));
  EXPECT_THROW(runs.succeed(id, json::object(), json::array()), DatabaseError);
  r = runs.find(id);
  EXPECT_EQ(r->status, "succeeded");
  EXPECT_EQ(r->params["max_depth"], 3);
  EXPECT_EQ(r->params["rounds"], 10);
  EXPECT_EQ(r->metrics["accuracy"], 0.9);
  EXPECT_EQ(r->artifacts[0]["sha256"], "h");
  ASSERT_TRUE(r->duration_s);
  EXPECT_GE(*r->duration_s, 0);
  EXPECT_TRUE(r->ended_at);
  EXPECT_EQ(runs.latest_succeeded("train", "key1")->id, id);
  EXPECT_FALSE(runs.latest_succeeded("train", "key2"));

  n.kind = "dataset";
  n.parent_id = id;
  const auto failed = runs.start(n);
  runs.fail(failed, "boom");
  EXPECT_EQ(runs.find(failed)->error.value_or(""), "boom");
  EXPECT_EQ(runs.list().size(), 2u);
  EXPECT_EQ(runs.list().front().id, failed);
  EXPECT_EQ(runs.list("train").size(), 1u);
  EXPECT_EQ(runs.list("", 1).size(), 1u);
  EXPECT_EQ(runs.children(id).size(), 1u);
  n.kind = "bogus";
  EXPECT_THROW(runs.start(n), std::invalid_argument);
}

TEST_P(RunRepositoryTest, RunsOfDeadProcessesAreMarkedFailed) {
  RunRepository runs(sql());
  NewRun n;
  n.kind = "dataset";
  n.code_version = "v";
  const auto mine = runs.start(n);
  const auto dead = runs.start(n);
  // A pid that existed and is gone: a child that exited and was reaped.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  const long long child_pid = child, dead_id = dead;
  sql() << "UPDATE runs SET pid = :p WHERE id = :id", soci::use(child_pid), soci::use(dead_id);
  EXPECT_EQ(runs.mark_abandoned(), 1);
  EXPECT_EQ(runs.find(dead)->status, "failed");
  EXPECT_NE(runs.find(dead)->error.value_or("").find("abandoned"), std::string::npos);
  EXPECT_EQ(runs.find(mine)->status, "running");
}

PDEX_INSTANTIATE_STORE_TEST(RunRepositoryTest);

}  // namespace
}  // namespace pdex::store
