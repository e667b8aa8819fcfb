import { LuaScript } from './lua-script';
import { PRELUDE } from './lua-prelude';

/**
 * tryAcquire. KEYS: state hash. ARGV: now ('' = Redis time), rpm, tpm ('' = not limited), tokens.
 * Returns {1, 0} when the request may go (capacity reserved) or {0, retryInMs}.
 *
 * GCRA per dimension: every admission moves the theoretical arrival time (TAT) on by one
 * interval (requests) or tokens x interval (tokens), and a request may go while the TAT is at
 * most TAU ahead of now. The check comes before the charge, so a request of any size goes as
 * soon as the schedule has caught up and nothing starves behind smaller requests; its cost is
 * capped at a minute's budget so one huge request delays the others by a minute at most.
 */
export const ACQUIRE = new LuaScript(`${PRELUDE}
local key = KEYS[1]
local now = clock(ARGV[1])
local rpm, tpm = limit(ARGV[2]), limit(ARGV[3])
local tokens = math.max(0, num(ARGV[4], 0))
local h = redis.call('HMGET', key, 'bu', 'tr', 'tt', 'f0', 'cut', 'ce', 'n')
local blocked = num(h[1], 0)
if blocked > now then return {0, math.ceil(blocked - now)} end
if rpm == nil and tpm == nil then return {1, 0} end

local tr, tt = num(h[2], 0), num(h[3], 0)
local wait = 0
if rpm then wait = math.max(wait, tr - TAU - now) end
if tpm then wait = math.max(wait, tt - TAU - now) end
if wait > 0 then return {0, math.max(1, math.ceil(wait))} end

local f = rate_factor(tonumber(h[4]), tonumber(h[5]), tonumber(h[6]), now)
local fields = {'n', num(h[7], 0) + 1, 'rpm', rpm or '', 'tpm', tpm or ''}
if rpm then
  tr = math.max(tr, now) + interval(rpm, f)
  table.insert(fields, 'tr'); table.insert(fields, ms(tr))
end
if tpm then
  tt = math.max(tt, now) + math.min(tokens, tpm) * interval(tpm, f)
  table.insert(fields, 'tt'); table.insert(fields, ms(tt))
end
redis.call('HSET', key, unpack(fields))
keep(key, now, math.max(tr, tt, blocked))
return {1, 0}
`);

/**
 * onRateLimited. ARGV: now, rpm, tpm, retryAfterMs ('' = the provider gave none).
 * Blocks the endpoint for every process, cuts the rate once per DECREASE_WINDOW, and restarts
 * the schedule at the end of the block one request at a time: a burst into a window that has
 * just said "full" would only collect more 429s.
 */
export const RATE_LIMITED = new LuaScript(`${PRELUDE}
local key = KEYS[1]
local now = clock(ARGV[1])
local rpm, tpm = limit(ARGV[2]), limit(ARGV[3])
local retry = math.min(math.max(0, num(ARGV[4], DEFAULT_RETRY)), MAX_BLOCK)
local h = redis.call('HMGET', key, 'bu', 'tr', 'tt', 'f0', 'cut', 'ce', 'rl', 'ev')
local blocked = math.max(num(h[1], 0), now + retry)
local tr, tt = num(h[2], 0), num(h[3], 0)
local fields = {'bu', ms(blocked), 'rl', num(h[7], 0) + 1}
if rpm or tpm then
  local cut = tonumber(h[5])
  if cut == nil or now - cut >= DECREASE_WINDOW then
    local f = rate_factor(tonumber(h[4]), cut, tonumber(h[6]), now)
    for _, v in ipairs({'ce', frac(f), 'f0', frac(math.max(MIN_FACTOR, f * DECREASE)), 'cut', ms(now), 'ev', num(h[8], 0) + 1}) do
      table.insert(fields, v)
    end
  end
  if rpm then
    tr = math.max(tr, blocked + TAU)
    table.insert(fields, 'tr'); table.insert(fields, ms(tr))
  end
  if tpm then
    tt = math.max(tt, blocked + TAU)
    table.insert(fields, 'tt'); table.insert(fields, ms(tt))
  end
end
redis.call('HSET', key, unpack(fields))
keep(key, now, math.max(tr, tt, blocked))
return 1
`);

/**
 * settleTokens. ARGV: now, tpm, reservedTokens, actualTokens. Moves the token schedule by the
 * difference, never into the past: unused time cannot be banked for a later burst.
 */
export const SETTLE = new LuaScript(`${PRELUDE}
local key = KEYS[1]
local tpm = limit(ARGV[2])
if tpm == nil then return 0 end
local now = clock(ARGV[1])
local reserved = math.min(math.max(0, num(ARGV[3], 0)), tpm)
local actual = math.min(math.max(0, num(ARGV[4], 0)), tpm)
local h = redis.call('HMGET', key, 'tt', 'f0', 'cut', 'ce', 'tr', 'bu')
local tt = tonumber(h[1])
if tt == nil then return 0 end
local delta = (actual - reserved) * interval(tpm, rate_factor(tonumber(h[2]), tonumber(h[3]), tonumber(h[4]), now))
if delta < 0 then
  if tt <= now then return 0 end
  tt = math.max(now, tt + delta)
else
  tt = math.max(tt, now) + delta
end
redis.call('HSET', key, 'tt', ms(tt))
keep(key, now, math.max(tt, num(h[5], 0), num(h[6], 0)))
return 1
`);

/** state. ARGV: now. Returns strings: now, factor, rpm, tpm, bu, rl, ev, cut, n. */
export const STATE = new LuaScript(`${PRELUDE}
local now = clock(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'f0', 'cut', 'ce', 'rpm', 'tpm', 'bu', 'rl', 'ev', 'n')
local f = rate_factor(tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), now)
return {ms(now), frac(f), h[4] or '', h[5] or '', h[6] or '0', h[7] or '0', h[8] or '0', h[2] or '', h[9] or '0'}
`);
