-- The step workload of comparison 10: GET $BENCH_PATH_BEFORE until the wall-clock second
-- $BENCH_STEP_AT (seconds since the epoch), then GET $BENCH_PATH_AFTER; totals as summary.lua.
local before, after, step_at

init = function(args)
  before = wrk.format("GET", os.getenv("BENCH_PATH_BEFORE"))
  after = wrk.format("GET", os.getenv("BENCH_PATH_AFTER"))
  step_at = tonumber(os.getenv("BENCH_STEP_AT"))
end

request = function()
  if os.time() >= step_at then
    return after
  end
  return before
end

dofile(os.getenv("BENCH_SUMMARY_LUA"))
