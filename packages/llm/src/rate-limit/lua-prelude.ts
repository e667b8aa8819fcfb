import * as policy from './policy';

/**
 * Lua shared by every rate-limit script: the policy constants, the clock, and the adaptive rate
 * curve. Each script is PRELUDE + its own body, so all of them agree on one definition.
 *
 * An endpoint's state is one Redis hash (one key: atomic and Redis Cluster safe):
 *   bu   blocked until (ms)             tr / tt  GCRA theoretical arrival time, requests / tokens
 *   f0   rate factor right after the last cut     cut  when the last cut happened (ms)
 *   ce   rate factor when that 429 came (the ceiling estimate)
 *   rpm / tpm  the configured limits last seen (for state())
 *   n    requests admitted   rl  429s reported   ev  cuts
 */
export const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local SCHEDULE = ${policy.SCHEDULE_FRACTION}
local TAU = ${policy.BURST_TOLERANCE_MS}
local DEFAULT_RETRY = ${policy.DEFAULT_RETRY_AFTER_MS}
local MAX_BLOCK = ${policy.MAX_BLOCK_MS}
local DECREASE = ${policy.DECREASE_FACTOR}
local DECREASE_WINDOW = ${policy.DECREASE_WINDOW_MS}
local MIN_FACTOR = ${policy.MIN_RATE_FRACTION}
local RECLIMB = ${policy.RECLIMB_FRACTION}
local FAST = ${policy.RECOVERY_FAST_PER_S}
local SLOW = ${policy.RECOVERY_SLOW_PER_S}
local ACCEL = ${policy.RECOVERY_ACCEL_PER_S2}
local IDLE_TTL = ${policy.IDLE_TTL_MS}

-- The caller's clock when given (tests drive time); otherwise Redis's own, so that workers on
-- machines whose clocks disagree still share one schedule.
local function clock(arg)
  local given = tonumber(arg)
  if given then return given end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function num(value, default)
  local n = tonumber(value)
  if n == nil then return default end
  return n
end

-- A configured limit, or nil when the config does not limit this dimension.
local function limit(arg)
  local n = tonumber(arg)
  if n and n > 0 then return n end
  return nil
end

-- Millisecond times are ~1.7e12: tostring's 14 significant digits would drop the fraction.
local function ms(x) return string.format('%.3f', x) end
local function frac(x) return string.format('%.6f', x) end

-- The effective fraction of the configured rate at time now: 1 until a 429 cuts it; then a
-- quick climb back to RECLIMB x the ceiling (the factor at which the 429 came), and beyond it a
-- slow probe that accelerates, so that the rate finds a real limit below the config and still
-- returns to the config when the 429s were not about our rate.
local function rate_factor(f0, cut, ceil, now)
  if f0 == nil or cut == nil then return 1 end
  local dt = math.max(0, now - cut) / 1000
  local plateau = math.min(1, (ceil or 1) * RECLIMB)
  local f
  if f0 < plateau and dt <= (plateau - f0) / FAST then
    f = f0 + FAST * dt
  else
    local u = dt
    local base = f0
    if f0 < plateau then
      u = dt - (plateau - f0) / FAST
      base = plateau
    end
    f = base + SLOW * u + ACCEL * u * u / 2
  end
  return math.min(1, f)
end

-- Ms per request (or per token) at the effective rate.
local function interval(per_minute, factor)
  return 60000 / (SCHEDULE * per_minute * factor)
end

-- Keep the state while any schedule or block lies ahead, then IDLE_TTL more.
local function keep(key, now, latest)
  redis.call('PEXPIRE', key, math.ceil(math.max(0, latest - now) + IDLE_TTL))
end
`;
