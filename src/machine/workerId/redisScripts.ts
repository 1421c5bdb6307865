/**
 * The Lua scripts behind Redis worker-id leases. Each runs atomically in Redis, so "check, then
 * act" cannot be split by another client. Times are never read from Redis's clock: expiry uses
 * Redis's own PX timer, and the deadlines compared here are Unix ms sent by the holders.
 *
 * Keys, for prefix `flakery:worker:` and id 7:
 * - `flakery:worker:7`       the lease: "<owner token> <JSON metadata>", expiring after the TTL
 * - `flakery:worker:7:until` the tombstone: the latest Unix ms any holder of id 7 may have issued
 *                            IDs at; it outlives the lease so that the next holder can start
 *                            after it, whatever the skew between the hosts' clocks
 *
 * The claim script builds key names from the prefix, so it needs a single Redis (or one
 * cluster slot per prefix via a `{hash tag}` in the prefix), not a sharded keyspace.
 */

/**
 * Claims the first free id, trying `start`, `start + 1`, … (mod count), or only `start`.
 * ARGV: prefix, start, count, value, ttlMs, issueUntilUnixMs, onlyStart ('1' | '0').
 * Returns `{ id, previousMark }` (previousMark -1 when the id was never used) or nil.
 */
export const CLAIM_SCRIPT = `
local prefix, start, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local value, ttl, issueUntil = ARGV[4], ARGV[5], tonumber(ARGV[6])
local tries = count
if ARGV[7] == '1' then tries = 1 end
for i = 0, tries - 1 do
  local id = (start + i) % count
  local key = prefix .. id
  if redis.call('SET', key, value, 'NX', 'PX', ttl) then
    local tomb = key .. ':until'
    local previous = tonumber(redis.call('GET', tomb) or '-1')
    if issueUntil > previous then
      redis.call('SET', tomb, string.format('%.0f', issueUntil))
    end
    return { id, previous }
  end
end
return nil
`;

/**
 * Extends the lease if (and only if) the token still owns it, and raises the tombstone to the
 * new deadline. KEYS: lease, tombstone. ARGV: token, value, ttlMs, issueUntilUnixMs.
 * Returns 1 when renewed, 0 when the lease expired or belongs to someone else.
 */
export const RENEW_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current or string.sub(current, 1, string.len(ARGV[1]) + 1) ~= ARGV[1] .. ' ' then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
local previous = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[4]) > previous then
  redis.call('SET', KEYS[2], ARGV[4])
end
return 1
`;

/**
 * Gives the lease back if the token still owns it, and sets the tombstone to the latest time
 * actually used (lower than the promised deadline), so that a quick restart need not wait for
 * the deadline. KEYS: lease, tombstone. ARGV: token, lastUsedUnixMs. Returns 1 or 0.
 */
export const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current or string.sub(current, 1, string.len(ARGV[1]) + 1) ~= ARGV[1] .. ' ' then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;
