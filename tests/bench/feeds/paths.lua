-- wrk script: every request fetches a random staff member's feed from the seeded list.
local paths = {}
for line in io.lines(os.getenv("FEED_PATHS")) do
  paths[#paths + 1] = line
end
math.randomseed(7)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
