"""The secretariat's desk (Thường trực Hội đồng thi đua, khen thưởng / Văn phòng Sở)."""
