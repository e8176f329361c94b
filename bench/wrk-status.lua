-- wrk script of the bench (bench/wrk.ts): prints one JSON line when a run ends. It defines no
-- response() function on purpose: with one, wrk copies every body into Lua, and at 150 KB a body
-- the client, not the server, became the limit. wrk counts the answers of status 400 and over.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"bytes":%d,"durationUs":%d,"statusErrors":%d,"socketErrors":%d}\n',
    summary.requests, summary.bytes, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
