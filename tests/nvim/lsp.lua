-- Neovim's own LSP client against `chitieu lsp`: opens Plan 22, misspells an indicator and waits
-- for the diagnostic at its exact place, fixes it and waits for it to clear, completes `onl`,
-- formats a rule. Any mismatch exits non-zero. Neovim 0.7 (Debian 12) or later:
--   CHITIEU=target/debug/chitieu nvim --headless --clean -S tests/nvim/lsp.lua
-- The plan's buffer is changed but never written.

local chitieu = os.getenv("CHITIEU") or "target/debug/chitieu"
local root = vim.fn.getcwd()
local plan = root .. "/plans/vinh-long/22-kh-ubnd-2026-2030.yaml"

local function fail(message)
  io.stderr:write("FAIL: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function wait(what, condition)
  if not vim.wait(20000, condition, 50) then
    fail("timed out waiting for " .. what)
  end
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(plan))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = "chitieu", cmd = { chitieu, "lsp" }, root_dir = root })
  if not id then
    fail("could not start " .. chitieu .. " lsp")
  end
  vim.lsp.buf_attach_client(buf, id)

  -- The line of goal II.2.h's rule (0-based).
  local row
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line == "    rule: online_rate > 80% by 2030-12-31" then
      row = i - 1
    end
  end
  if not row then
    fail("the rule of II.2.h is not in " .. plan)
  end
  local function set(text)
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { text })
  end

  -- Typed in steps, as a user types: only the last text has to be reported.
  set("    rule: online_ra > 80% by 2030-12-31")
  set("    rule: online_r > 80% by 2030-12-31")
  set("    rule: online_rat > 80% by 2030-12-31")
  local found
  wait("the unknown-name diagnostic", function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.lnum == row and d.message:find("online_rat`", 1, true) then
        found = d
        return true
      end
    end
    return false
  end)
  if found.col ~= 10 or found.end_col ~= 20 or found.end_lnum ~= row then
    fail(string.format("diagnostic at %d:%d-%d:%d, expected %d:10-%d:20",
      found.lnum, found.col, found.end_lnum, found.end_col, row, row))
  end
  local lsp = found.user_data and found.user_data.lsp or {}
  if lsp.code ~= "unknown-name" then
    fail("code " .. tostring(lsp.code))
  end
  if not found.message:find("online_rate`?", 1, true) then
    fail("no suggestion in: " .. found.message)
  end

  set("    rule: online_rate > 80% by 2030-12-31")
  wait("the diagnostics to clear", function()
    return #vim.diagnostic.get(buf) == 0
  end)

  set("    rule: onl")
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = row, character = 13 },
  }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 20000) or {}
  local labels = {}
  for _, answer in pairs(answers) do
    local items = answer.result and (answer.result.items or answer.result) or {}
    for _, item in ipairs(items) do
      labels[item.label] = item.detail or ""
    end
  end
  if labels["online_rate"] ~= "Tỷ lệ hồ sơ TTHC xử lý trực tuyến (percent)" then
    fail("online_rate not completed at `onl`: " .. vim.inspect(labels))
  end

  set("    rule: online_rate>80%   by 2030-12-31")
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ async = false, timeout_ms = 20000 })
  else
    vim.lsp.buf.formatting_sync(nil, 20000)
  end
  local formatted = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  if formatted ~= "    rule: online_rate > 80% by 2030-12-31" then
    fail("formatted as: " .. formatted)
  end

  -- A plan whose goal is written on one line, an emoji and a decomposed Vietnamese letter
  -- (a + U+0309) before the misspelt name: the server counts UTF-16 units, Neovim turns them
  -- into bytes; both must land on the name.
  local small = vim.fn.tempname() .. ".yaml"
  local line = '  - { id: g, title: "🎯 Ca\204\137i cách", rule: online_rat > 80% by 2030-12-31 }'
  vim.fn.writefile({
    "chitieu: 1",
    "plan: { id: P, title: T, period: 2026-01-01 .. 2030-12-31 }",
    "indicators:",
    "  online_rate: { name: X, unit: percent }",
    "goals:",
    line,
  }, small)
  vim.cmd("edit " .. vim.fn.fnameescape(small))
  local other = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(other, id)
  local at
  wait("the diagnostic after an emoji", function()
    at = vim.diagnostic.get(other)[1]
    return at ~= nil
  end)
  local col = line:find("online_rat", 1, true) - 1
  if at.lnum ~= 5 or at.col ~= col or at.end_col ~= col + 10 then
    fail(string.format("diagnostic at %d:%d-%d, expected 5:%d-%d", at.lnum, at.col, at.end_col, col, col + 10))
  end
  os.remove(small)

  vim.lsp.stop_client(id)
  io.stdout:write("neovim: diagnostic, clear, completion, formatting: ok\n")
  vim.cmd("qall!")
end

local ok, err = pcall(run)
if not ok then
  fail(tostring(err))
end
