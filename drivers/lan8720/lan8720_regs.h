/* SPDX-License-Identifier: MIT */
/* LAN8720A vendor registers (reference §2). Internal to drivers/lan8720. */
#ifndef NB_LAN8720_REGS_H
#define NB_LAN8720_REGS_H

#define LAN8720_MCSR 17u /* Mode Control/Status */
#define LAN8720_MCSR_EDPWRDOWN 0x2000u
#define LAN8720_MCSR_FARLOOPBACK 0x0200u
#define LAN8720_MCSR_ALTINT 0x0040u
#define LAN8720_MCSR_ENERGYON 0x0002u

#define LAN8720_SMR 18u /* Special Modes: MODE[7:5], PHYAD[4:0] */
#define LAN8720_SMR_MODE_SHIFT 5u
#define LAN8720_SMR_MODE_MASK 0x00E0u
#define LAN8720_SMR_MODE_ALL 7u /* 111: all capable, AN on */
#define LAN8720_SMR_PHYAD_MASK 0x001Fu

#define LAN8720_SECR 26u /* Symbol Error Counter */

#define LAN8720_SCSIR 27u /* Special Control/Status Indications */
#define LAN8720_SCSIR_AMDIXCTRL 0x8000u /* 1 = Auto-MDIX off, channel from CH_SELECT */
#define LAN8720_SCSIR_CH_SELECT 0x2000u /* 1 = MDIX */
#define LAN8720_SCSIR_SQEOFF 0x0800u
#define LAN8720_SCSIR_XPOL 0x0010u

#define LAN8720_ISF 29u /* Interrupt Source Flags, clear on read */
#define LAN8720_IMR 30u /* Interrupt Mask */
#define LAN8720_INT1_AN_PAGE 0x0002u
#define LAN8720_INT2_PD_FAULT 0x0004u
#define LAN8720_INT3_LP_ACK 0x0008u
#define LAN8720_INT4_LINK_DOWN 0x0010u
#define LAN8720_INT5_REMOTE_FAULT 0x0020u
#define LAN8720_INT6_AN_COMPLETE 0x0040u
#define LAN8720_INT7_ENERGYON 0x0080u

#define LAN8720_PSCSR 31u /* PHY Special Control/Status */
#define LAN8720_PSCSR_AUTODONE 0x1000u
#define LAN8720_PSCSR_HCD_SHIFT 2u
#define LAN8720_PSCSR_HCD_MASK 0x001Cu
#define LAN8720_HCD_10HD 1u
#define LAN8720_HCD_100HD 2u
#define LAN8720_HCD_10FD 5u
#define LAN8720_HCD_100FD 6u

#endif
