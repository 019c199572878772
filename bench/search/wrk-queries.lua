-- wrk script: every request is the next query of the comparison set, round robin.
--   wrk ... -s wrk-queries.lua http://127.0.0.1:PORT -- bench/search/queries.txt [Q03]
-- The first argument is queries.txt (lines "Qnn /path", # comments); a second argument keeps
-- only the query of that name (for a per-query run). Each wrk thread starts at a different
-- query so that the threads do not send the same query at the same moment.

local paths = {}
local index = 0

function init(args)
  local file = args[1] or "queries.txt"
  local only = args[2]
  for line in io.lines(file) do
    local name, path = line:match("^(Q%d+)%s+(%S+)")
    if name and (only == nil or only == name) then
      paths[#paths + 1] = path
    end
  end
  if #paths == 0 then
    error("no queries read from " .. file)
  end
  -- wrk numbers its threads only through `id`, which setup() could set; a random start
  -- is good enough to spread them.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  index = math.random(0, #paths - 1)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
