/* SPDX-License-Identifier: MIT */
/**
 * @file regs.h
 * @brief CYW43439 constants: gSPI F0 registers, F1 local registers, backplane addresses,
 *        SDPCM/CDC/BDC/event layouts, ioctl and event numbers.
 *
 * Facts from shared/reference/cyw43439.md; section numbers given per group. Internal to
 * drivers/cyw43439.
 */
#ifndef NB_CYW43439_REGS_H
#define NB_CYW43439_REGS_H

/* ---- gSPI command word (§1.4) -------------------------------------------------------- */
#define CYW_CMD_WRITE (1u << 31)
#define CYW_CMD_INCR (1u << 30)
#define CYW_CMD_FUNC_SHIFT 28
#define CYW_CMD_ADDR_SHIFT 11
#define CYW_CMD_ADDR_MASK 0x1FFFFu
#define CYW_CMD_LEN_MASK 0x7FFu

enum cyw_func { CYW_F0 = 0, CYW_F1 = 1, CYW_F2 = 2 };

/* ---- F0 registers (§1.7-1.10) --------------------------------------------------------- */
#define CYW_F0_BUS_CONTROL 0x00u
#define CYW_F0_RESPONSE_DELAY 0x01u
#define CYW_F0_STATUS_ENABLE 0x02u
#define CYW_F0_INT 0x04u
#define CYW_F0_INT_ENABLE 0x06u
#define CYW_F0_STATUS 0x08u
#define CYW_F0_TEST_RO 0x14u
#define CYW_F0_TEST_RW 0x18u
#define CYW_F0_RESP_DELAY_F1 0x1Du

#define CYW_TEST_PATTERN 0xFEEDBEADu

/* bus control byte (F0 0x00) */
#define CYW_BC_WORD32 0x01u
#define CYW_BC_ENDIAN_BIG 0x02u
#define CYW_BC_HIGH_SPEED 0x10u
#define CYW_BC_INT_POL_HIGH 0x20u
#define CYW_BC_WAKE_UP 0x80u
/* status enable byte (F0 0x02) */
#define CYW_SE_STATUS 0x01u
#define CYW_SE_INTR_WITH_STATUS 0x02u

/* interrupt register bits (F0 0x04/0x06) */
#define CYW_INT_DATA_UNAVAILABLE 0x0001u
#define CYW_INT_F2_PACKET_AVAILABLE 0x0020u
#define CYW_INT_CLEAR_AT_INIT 0x99u

/* status word (F0 0x08 / appended status, §1.10) */
#define CYW_ST_DATA_NOT_AVAILABLE 0x00000001u
#define CYW_ST_UNDERFLOW 0x00000002u
#define CYW_ST_OVERFLOW 0x00000004u
#define CYW_ST_F2_RX_READY 0x00000020u
#define CYW_ST_F2_PKT_AVAILABLE 0x00000100u
#define CYW_ST_F2_PKT_LEN_SHIFT 9
#define CYW_ST_F2_PKT_LEN_MASK 0x7FFu

/* ---- F1 local registers (§2.1.2) ------------------------------------------------------ */
#define CYW_F1_WATERMARK 0x10008u
#define CYW_F1_WIN_LOW 0x1000Au
#define CYW_F1_WIN_MID 0x1000Bu
#define CYW_F1_WIN_HIGH 0x1000Cu
#define CYW_F1_FRAME_CONTROL 0x1000Du
#define CYW_F1_CHIP_CLOCK_CSR 0x1000Eu
#define CYW_F1_PULL_UP 0x1000Fu

#define CYW_CLK_HT_AVAIL_REQ 0x10u
#define CYW_CLK_ALP_AVAIL_REQ 0x08u
#define CYW_CLK_ALP_AVAIL 0x40u
#define CYW_CLK_HT_AVAIL 0x80u
#define CYW_FRAME_CONTROL_RF_TERM 0x01u
#define CYW_F2_WATERMARK 0x20u

/* ---- backplane (§2.1, §2.2, §2.5) ------------------------------------------------------ */
#define CYW_BP_WIN_SIZE 0x8000u
#define CYW_BP_WIN_MASK 0x7FFFu
#define CYW_BP_32BIT_FLAG 0x8000u
#define CYW_BP_MAX_XFER 64u

#define CYW_BP_CHIPCOMMON 0x18000000u
#define CYW_BP_SDIO_HOSTINTMASK 0x18002024u
#define CYW_BP_SOCSRAM_BANKX_INDEX 0x18004010u
#define CYW_BP_SOCSRAM_BANKX_PDA 0x18004044u
#define CYW_BP_WLAN_WRAPPER 0x18103000u
#define CYW_BP_SOCSRAM_WRAPPER 0x18104000u
#define CYW_WRAP_IOCTRL 0x408u
#define CYW_WRAP_RESETCTRL 0x800u
#define CYW_IOCTRL_CLOCK_EN 0x01u
#define CYW_IOCTRL_FGC 0x02u
#define CYW_RESETCTRL_RESET 0x01u

#define CYW_CHIP_ID 0xA9AFu /* 43439 */
#define CYW_RAM_SIZE 0x80000u
#define CYW_NVRAM_LEN_WORD (CYW_RAM_SIZE - 4u)
#define CYW_HOSTINTMASK_SW 0xF0u

/* ---- SDPCM (§3.2) --------------------------------------------------------------------- */
#define CYW_SDPCM_HDR 12u
#define CYW_SDPCM_DATA_PAD 2u
#define CYW_BDC_HDR 4u
#define CYW_CDC_HDR 16u
#define CYW_CHAN_CONTROL 0u
#define CYW_CHAN_EVENT 1u
#define CYW_CHAN_DATA 2u
#define CYW_CHAN_MASK 0x0Fu
/** Longest F2 frame the chip may hand us (R2: 1500 + 30 + 14 - 8). */
#define CYW_F2_RX_MAX 1536u
#define CYW_F2_BUF 2048u
#define CYW_CREDIT_SANE 0x40u
#define CYW_BDC_VERSION 0x20u

/* ---- CDC (§3.3) ------------------------------------------------------------------------ */
#define CYW_CDCF_ERROR 0x01u
#define CYW_CDCF_SET 0x02u
#define CYW_CDCF_IF_SHIFT 12
#define CYW_CDCF_ID_SHIFT 16

/* ioctl numbers (§3.4, §4.12) */
#define CYW_WLC_UP 2u
#define CYW_WLC_SET_INFRA 20u
#define CYW_WLC_SET_AUTH 22u
#define CYW_WLC_SET_SSID 26u
#define CYW_WLC_DISASSOC 52u
#define CYW_WLC_SET_ANTDIV 64u
#define CYW_WLC_SET_GMODE 110u
#define CYW_WLC_SET_WSEC 134u
#define CYW_WLC_SET_BAND 142u
#define CYW_WLC_SET_WPA_AUTH 165u
#define CYW_WLC_GET_VAR 262u
#define CYW_WLC_SET_VAR 263u
#define CYW_WLC_SET_WSEC_PMK 268u

#define CYW_WSEC_AES 0x4u
#define CYW_WPA_AUTH_DISABLED 0x0u
#define CYW_WPA_AUTH_WPA2_PSK 0x80u
#define CYW_WSEC_PMK_LEN 68u
#define CYW_WSEC_PASSPHRASE 0x1u

/* clmload (§2.7) */
#define CYW_CLM_CHUNK 1024u
#define CYW_DL_BEGIN 0x0002u
#define CYW_DL_END 0x0004u
#define CYW_DL_HANDLER_VER 0x1000u
#define CYW_DL_TYPE_CLM 2u

/* ---- events (§3.7) --------------------------------------------------------------------- */
#define CYW_ETHERTYPE_BRCM 0x886Cu
#define CYW_BCMILCP_SUBTYPE_VENDOR_LONG 0x8001u
#define CYW_BCMILCP_BCM_SUBTYPE_EVENT 1u
#define CYW_EVENT_MSG_OFF 24u  /* from the Ethernet header */
#define CYW_EVENT_MIN 72u      /* Ethernet(14) + BCM header(10) + message(48) */

#define CYW_E_SET_SSID 0u
#define CYW_E_JOIN 1u
#define CYW_E_AUTH 3u
#define CYW_E_DEAUTH 5u
#define CYW_E_DEAUTH_IND 6u
#define CYW_E_DISASSOC 11u
#define CYW_E_DISASSOC_IND 12u
#define CYW_E_LINK 16u
#define CYW_E_ROAM 19u
#define CYW_E_TXFAIL 20u
#define CYW_E_PRUNE 23u
#define CYW_E_RADIO 40u
#define CYW_E_PROBREQ_MSG 44u
#define CYW_E_PSK_SUP 46u
#define CYW_E_IF 54u
#define CYW_E_ESCAN_RESULT 69u
#define CYW_E_PROBRESP_MSG 71u
#define CYW_E_MASK_BYTES 24u

#define CYW_E_STATUS_SUCCESS 0u
#define CYW_E_STATUS_FAIL 1u
#define CYW_E_STATUS_NO_NETWORKS 3u
#define CYW_E_STATUS_UNSOLICITED 6u
#define CYW_E_STATUS_PARTIAL 8u
#define CYW_E_LINK_FLAG_UP 0x01u

#define CYW_SUP_WAIT_M1 4u
#define CYW_SUP_KEYED 6u
#define CYW_SUP_WAIT_M3 8u
#define CYW_SUP_PREP_M4 9u
#define CYW_SUP_REASON_DEAUTH 14u
#define CYW_SUP_REASON_TIMEOUT 15u

#define CYW_LINK_REASON_BCN_LOSS 1u

/* escan (§3.8) */
#define CYW_ESCAN_PARAMS 76u
#define CYW_ESCAN_RESULT_HDR 12u
#define CYW_BSS_INFO_MIN 128u

#endif /* NB_CYW43439_REGS_H */
