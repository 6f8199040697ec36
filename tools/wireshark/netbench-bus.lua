-- SPDX-License-Identifier: MIT
-- Wireshark dissector for netbench bus captures (bus.pcapng, link type LINKTYPE_USER5 = 152).
-- Record layout: docs/capture.md. Use:
--   wireshark -X lua_script:tools/wireshark/netbench-bus.lua out/bus.pcapng
--   tshark -X lua_script:tools/wireshark/netbench-bus.lua -r out/bus.pcapng -T fields \
--          -e netbench_bus.mdio.reg_name -e netbench_bus.mdio.data
-- or copy this file to the personal Lua plugins folder (Help > About > Folders).

local p = Proto("netbench_bus", "netbench bus transaction")

local kinds = { [1] = "MDIO", [2] = "gSPI" }
local mdio_ops = { [1] = "write", [2] = "read" }

-- IEEE 802.3 clause 22 registers and the LAN8720A vendor-specific ones.
local mdio_regs = {
  [0] = "BMCR", [1] = "BMSR", [2] = "PHYID1", [3] = "PHYID2", [4] = "ANAR", [5] = "ANLPAR",
  [6] = "ANER", [7] = "ANNPTR", [8] = "ANNPRR", [13] = "MMDACR", [14] = "MMDAADR",
  [15] = "ESR", [17] = "MCSR", [18] = "SMR", [26] = "SECR", [27] = "CSIR", [29] = "ISR",
  [30] = "IMR", [31] = "PSCSR",
}

local gspi_funcs = { [0] = "F0 (gSPI registers)", [1] = "F1 (backplane)", [2] = "F2 (WLAN)",
                     [3] = "F3 (BT)" }

-- gSPI function 0 registers (address: name, width in bytes).
local f0_regs = {
  [0x00] = "SPI_BUS_CONTROL", [0x01] = "SPI_RESPONSE_DELAY", [0x02] = "SPI_STATUS_ENABLE",
  [0x03] = "SPI_RESET_BP", [0x04] = "SPI_INTERRUPT_REGISTER",
  [0x06] = "SPI_INTERRUPT_ENABLE_REGISTER", [0x08] = "SPI_STATUS_REGISTER",
  [0x0C] = "SPI_FUNCTION1_INFO", [0x0E] = "SPI_FUNCTION2_INFO", [0x10] = "SPI_FUNCTION3_INFO",
  [0x14] = "SPI_READ_TEST_REGISTER", [0x18] = "SPI_RW_TEST_REGISTER",
  [0x1C] = "SPI_RESP_DELAY_F0", [0x1D] = "SPI_RESP_DELAY_F1", [0x1E] = "SPI_RESP_DELAY_F2",
  [0x1F] = "SPI_RESP_DELAY_F3",
}

local f = p.fields
f.version  = ProtoField.uint8("netbench_bus.version", "Record version")
f.kind     = ProtoField.uint8("netbench_bus.kind", "Bus", base.DEC, kinds)
f.rec_len  = ProtoField.uint16("netbench_bus.rec_len", "Record length")
f.busy     = ProtoField.uint32("netbench_bus.busy_ns", "Bus busy time (ns)")

f.m_op     = ProtoField.uint8("netbench_bus.mdio.op", "OP", base.DEC, mdio_ops)
f.m_phy    = ProtoField.uint8("netbench_bus.mdio.phy", "PHY address")
f.m_reg    = ProtoField.uint8("netbench_bus.mdio.reg", "Register")
f.m_regnm  = ProtoField.string("netbench_bus.mdio.reg_name", "Register name")
f.m_flags  = ProtoField.uint8("netbench_bus.mdio.flags", "Flags", base.HEX)
f.m_ta     = ProtoField.bool("netbench_bus.mdio.ta_ok", "Turnaround driven by a PHY", 8, nil, 0x01)
f.m_err    = ProtoField.bool("netbench_bus.mdio.error", "Bus error", 8, nil, 0x02)
f.m_data   = ProtoField.uint16("netbench_bus.mdio.data", "Data", base.HEX)
f.m_result = ProtoField.int16("netbench_bus.mdio.result", "Result (0 or -errno)")

f.g_cmd    = ProtoField.uint32("netbench_bus.gspi.cmd", "Command word", base.HEX)
f.g_write  = ProtoField.bool("netbench_bus.gspi.write", "Write", 32, nil, 0x80000000)
f.g_incr   = ProtoField.bool("netbench_bus.gspi.incr", "Incrementing address", 32, nil, 0x40000000)
f.g_func   = ProtoField.uint32("netbench_bus.gspi.func", "Function", base.DEC, gspi_funcs, 0x30000000)
f.g_addr   = ProtoField.uint32("netbench_bus.gspi.addr", "Address", base.HEX, nil, 0x0FFFF800)
f.g_len    = ProtoField.uint32("netbench_bus.gspi.len", "Length field", base.DEC, nil, 0x000007FF)
f.g_mode   = ProtoField.uint8("netbench_bus.gspi.mode", "Word mode", base.HEX)
f.g_m32    = ProtoField.bool("netbench_bus.gspi.mode32", "32-bit words", 8, nil, 0x01)
f.g_mbig   = ProtoField.bool("netbench_bus.gspi.endian_big", "ENDIAN_BIG", 8, nil, 0x02)
f.g_flags  = ProtoField.uint8("netbench_bus.gspi.flags", "Flags", base.HEX)
f.g_stv    = ProtoField.bool("netbench_bus.gspi.status_valid", "Status phase read", 8, nil, 0x02)
f.g_err    = ProtoField.bool("netbench_bus.gspi.error", "Bus error", 8, nil, 0x04)
f.g_pad    = ProtoField.uint16("netbench_bus.gspi.pad", "Response-delay bytes skipped")
f.g_status = ProtoField.uint32("netbench_bus.gspi.status", "Status word", base.HEX)
f.g_st_dna = ProtoField.bool("netbench_bus.gspi.status.data_not_available", "Data not available", 32, nil, 0x00000001)
f.g_st_und = ProtoField.bool("netbench_bus.gspi.status.underflow", "Underflow", 32, nil, 0x00000002)
f.g_st_ovf = ProtoField.bool("netbench_bus.gspi.status.overflow", "Overflow", 32, nil, 0x00000004)
f.g_st_f2i = ProtoField.bool("netbench_bus.gspi.status.f2_intr", "F2 interrupt", 32, nil, 0x00000008)
f.g_st_f2r = ProtoField.bool("netbench_bus.gspi.status.f2_rx_ready", "F2 RX ready", 32, nil, 0x00000020)
f.g_st_f2a = ProtoField.bool("netbench_bus.gspi.status.f2_pkt_available", "F2 packet available", 32, nil, 0x00000100)
f.g_st_f2l = ProtoField.uint32("netbench_bus.gspi.status.f2_pkt_len", "F2 packet length", base.DEC, nil, 0x000FFE00)
f.g_result = ProtoField.int32("netbench_bus.gspi.result", "Result (0 or -errno)")
f.g_dlen   = ProtoField.uint32("netbench_bus.gspi.data_len", "Data length")
f.g_regnm  = ProtoField.string("netbench_bus.gspi.reg_name", "F0 register")
f.g_value  = ProtoField.uint32("netbench_bus.gspi.value", "Value (first word, chip order)", base.HEX)
f.g_data   = ProtoField.bytes("netbench_bus.gspi.data", "Data (chip memory order)")

local function dissect_mdio(tvb, pinfo, tree)
  local op = tvb(8, 1):uint()
  local phy = tvb(9, 1):uint()
  local reg = tvb(10, 1):uint()
  local data = tvb(12, 2):le_uint()
  local name = mdio_regs[reg] or string.format("reg %d", reg)
  tree:add(f.m_op, tvb(8, 1))
  tree:add(f.m_phy, tvb(9, 1))
  tree:add(f.m_reg, tvb(10, 1))
  tree:add(f.m_regnm, tvb(10, 1), name)
  local fl = tree:add(f.m_flags, tvb(11, 1))
  fl:add(f.m_ta, tvb(11, 1))
  fl:add(f.m_err, tvb(11, 1))
  tree:add_le(f.m_data, tvb(12, 2))
  tree:add_le(f.m_result, tvb(14, 2))
  pinfo.cols.protocol = "MDIO"
  pinfo.cols.info = string.format("%s PHY %d %s = 0x%04x%s", mdio_ops[op] or "?", phy, name,
                                  data, (tvb(11, 1):uint() % 2 == 1) and "" or " (no PHY)")
end

local function dissect_gspi(tvb, pinfo, tree)
  local cmd = tvb(8, 4):le_uint()
  local write = cmd >= 0x80000000
  local func = math.floor(cmd / 0x10000000) % 4
  local addr = math.floor(cmd / 0x800) % 0x20000
  local len = cmd % 0x800
  local dlen = tvb(24, 4):le_uint()
  local c = tree:add_le(f.g_cmd, tvb(8, 4))
  c:add_le(f.g_write, tvb(8, 4))
  c:add_le(f.g_incr, tvb(8, 4))
  c:add_le(f.g_func, tvb(8, 4))
  c:add_le(f.g_addr, tvb(8, 4))
  c:add_le(f.g_len, tvb(8, 4))
  local m = tree:add(f.g_mode, tvb(12, 1))
  m:add(f.g_m32, tvb(12, 1))
  m:add(f.g_mbig, tvb(12, 1))
  local fl = tree:add(f.g_flags, tvb(13, 1))
  fl:add(f.g_stv, tvb(13, 1))
  fl:add(f.g_err, tvb(13, 1))
  tree:add_le(f.g_pad, tvb(14, 2))
  local st = tree:add_le(f.g_status, tvb(16, 4))
  st:add_le(f.g_st_dna, tvb(16, 4))
  st:add_le(f.g_st_und, tvb(16, 4))
  st:add_le(f.g_st_ovf, tvb(16, 4))
  st:add_le(f.g_st_f2i, tvb(16, 4))
  st:add_le(f.g_st_f2r, tvb(16, 4))
  st:add_le(f.g_st_f2a, tvb(16, 4))
  st:add_le(f.g_st_f2l, tvb(16, 4))
  tree:add_le(f.g_result, tvb(20, 4))
  tree:add_le(f.g_dlen, tvb(24, 4))
  local name = ""
  if func == 0 and f0_regs[addr] then
    name = f0_regs[addr]
    tree:add(f.g_regnm, tvb(8, 4), name)
  end
  -- The value as the length field says (bytes past it in the word are not the register's).
  local value = ""
  local vlen = math.min(dlen, len == 0 and 2048 or len, 4)
  if vlen > 0 then
    tree:add_le(f.g_value, tvb(28, vlen))
    value = string.format(" = 0x%0" .. (2 * vlen) .. "x", tvb(28, vlen):le_uint())
  end
  if dlen > 0 then tree:add(f.g_data, tvb(28, dlen)) end
  pinfo.cols.protocol = "gSPI"
  pinfo.cols.info = string.format("%s F%d 0x%05x len %d%s%s", write and "W" or "R", func, addr,
                                  len == 0 and 2048 or len, name ~= "" and (" " .. name) or "",
                                  value)
end

function p.dissector(tvb, pinfo, tree)
  if tvb:len() < 8 then return 0 end
  local kind = tvb(1, 1):uint()
  local t = tree:add(p, tvb(), "netbench bus: " .. (kinds[kind] or "unknown"))
  t:add(f.version, tvb(0, 1))
  t:add(f.kind, tvb(1, 1))
  t:add_le(f.rec_len, tvb(2, 2))
  t:add_le(f.busy, tvb(4, 4))
  if kind == 1 and tvb:len() >= 16 then
    dissect_mdio(tvb, pinfo, t)
  elseif kind == 2 and tvb:len() >= 28 then
    dissect_gspi(tvb, pinfo, t)
  else
    pinfo.cols.protocol = "netbench"
    pinfo.cols.info = "unknown bus record"
  end
  return tvb:len()
end

local encap = wtap_encaps or wtap
DissectorTable.get("wtap_encap"):add(encap.USER5, p)
