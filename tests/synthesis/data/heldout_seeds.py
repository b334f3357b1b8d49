"""Held-out seeds: points and wordings written after the engine was tuned, never used to tune it.
Same draft (ward_report.md), same generator (build_eval.py --heldout)."""

from __future__ import annotations

POINTS: list[tuple[str, str, str, list[str], tuple[str, ...]]] = [
    (
        "h_chotam",
        "s01",
        "other",
        [
            "Chợ Tân Định xuống cấp, tiểu thương giảm doanh thu, báo cáo cần đánh giá việc quản lý chợ.",
            "Chưa thấy đánh giá hoạt động của chợ Tân Định, nơi nhiều tiểu thương đang gặp khó khăn.",
            "Công tác quản lý chợ Tân Định cần được nêu trong phần kinh tế vì đây là nguồn thu lớn.",
        ],
        (),
    ),
    (
        "h_thuephi",
        "s01",
        "add",
        [
            "Đề nghị bổ sung kết quả thu phí sử dụng tạm thời lòng đường, vỉa hè vào thu ngân sách.",
            "Nên bổ sung nguồn thu từ phí sử dụng vỉa hè, lòng đường trong phần thu ngân sách.",
        ],
        (),
    ),
    (
        "h_caxanh_hem",
        "s02",
        "other",
        [
            "Nhiều hẻm còn dây điện, cáp viễn thông giăng chằng chịt, mất mỹ quan và nguy cơ cháy nổ.",
            "Cần xử lý tình trạng dây điện, dây cáp treo lộn xộn trong các hẻm.",
            "Đề nghị phối hợp ngành điện, viễn thông chỉnh trang, ngầm hóa dây cáp trong hẻm.",
        ],
        (),
    ),
    (
        "h_chieusang",
        "s02",
        "amend",
        [
            "Đánh giá các tuyến hẻm đã được lắp đặt chiếu sáng là chưa đúng, còn nhiều hẻm tối.",
            "Thực tế vẫn còn hẻm chưa có đèn chiếu sáng, đề nghị điều chỉnh đánh giá cho sát.",
        ],
        (),
    ),
    (
        "h_treem",
        "s03",
        "add",
        [
            "Đề nghị bổ sung nội dung bảo vệ trẻ em, phòng chống bạo lực học đường.",
            "Báo cáo cần có thêm phần chăm sóc, bảo vệ trẻ em và phòng ngừa bạo lực trong trường học.",
            "Bổ sung kết quả công tác trẻ em, nhất là phòng chống xâm hại và bạo lực học đường.",
            "Chưa có nội dung về bảo vệ trẻ em, phòng chống bạo lực học đường, đề nghị bổ sung.",
        ],
        (),
    ),
    (
        "h_hocphi_giu",
        "s03",
        "other",
        [
            "Đề nghị giữ nguyên chính sách hỗ trợ học phí cho học sinh hộ cận nghèo.",
            "Chính sách hỗ trợ học phí cho con em hộ cận nghèo cần giữ nguyên, không nên cắt.",
        ],
        ("h_hocphi_bo",),
    ),
    (
        "h_hocphi_bo",
        "s03",
        "remove",
        [
            "Đề nghị bỏ chính sách hỗ trợ học phí cho học sinh hộ cận nghèo vì đã có chính sách của thành phố.",
            "Nên bỏ khoản hỗ trợ học phí cho học sinh hộ cận nghèo của phường để tránh trùng lặp với thành phố.",
        ],
        ("h_hocphi_giu",),
    ),
    (
        "h_nhatro",
        "s04",
        "amend",
        [
            "Cần quản lý chặt người lưu trú tại các nhà trọ, căn hộ cho thuê ngắn ngày.",
            "Quản lý cư trú ở nhà trọ, căn hộ dịch vụ cho thuê ngắn hạn còn lỏng, đề nghị nêu giải pháp.",
            "Đề nghị siết chặt quản lý lưu trú tại nhà trọ và căn hộ cho thuê theo ngày.",
        ],
        (),
    ),
    (
        "h_camera_150",
        "s04",
        "add",
        [
            "Đề nghị bổ sung chỉ tiêu lắp mới 150 camera an ninh trong nhiệm kỳ.",
            "Nên đặt chỉ tiêu lắp đặt thêm 150 camera an ninh đến năm 2030.",
        ],
        ("h_camera_300",),
    ),
    (
        "h_camera_300",
        "s04",
        "add",
        [
            "Đề nghị bổ sung chỉ tiêu lắp mới 300 camera an ninh trong nhiệm kỳ.",
            "Nên đặt chỉ tiêu lắp đặt thêm 300 camera an ninh đến năm 2030.",
        ],
        ("h_camera_150",),
    ),
    (
        "h_zalo",
        "s05",
        "other",
        [
            "Nên lập nhóm Zalo từng khu phố để trả lời thắc mắc thủ tục hành chính của người dân.",
            "Đề nghị dùng Zalo khu phố để hướng dẫn người dân làm thủ tục, giảm đi lại.",
        ],
        (),
    ),
    (
        "h_lichtiep",
        "s05",
        "amend",
        [
            "Cần công khai lịch tiếp công dân của lãnh đạo phường trên trang thông tin điện tử.",
            "Đề nghị niêm yết và đăng công khai lịch tiếp dân của Chủ tịch, Phó Chủ tịch phường.",
        ],
        (),
    ),
    (
        "h_tuphebinh",
        "s06",
        "amend",
        [
            "Tự phê bình và phê bình trong chi bộ còn nể nang, né tránh, báo cáo nên nói thẳng.",
            "Đề nghị đánh giá thẳng thắn tình trạng nể nang, ngại va chạm trong tự phê bình và phê bình.",
            "Việc phê bình và tự phê bình ở một số chi bộ còn hình thức, nể nang.",
        ],
        (),
    ),
    (
        "h_dangphi",
        "s06",
        "other",
        [
            "Việc thu nộp đảng phí cần thực hiện qua tài khoản để minh bạch.",
            "Đề nghị chuyển sang thu đảng phí bằng chuyển khoản cho công khai, minh bạch.",
        ],
        (),
    ),
    (
        "h_nhanvat",
        "s07",
        "amend",
        [
            "Bài học kinh nghiệm còn dài, nên rút gọn thành ba, bốn bài học chính.",
            "Phần bài học kinh nghiệm viết dàn trải, đề nghị cô đọng lại.",
        ],
        (),
    ),
    (
        "h_ketnap_100",
        "s08",
        "amend",
        [
            "Đề nghị nâng chỉ tiêu kết nạp đảng viên mới lên 100 đồng chí trong nhiệm kỳ.",
            "Chỉ tiêu kết nạp đảng viên nên nâng lên 100 đảng viên.",
        ],
        ("h_ketnap_60",),
    ),
    (
        "h_ketnap_60",
        "s08",
        "amend",
        [
            "Đề nghị giảm chỉ tiêu kết nạp đảng viên mới xuống 60 đồng chí cho sát thực tế.",
            "Chỉ tiêu kết nạp đảng viên nên hạ xuống 60 đảng viên vì nguồn phát triển ngày càng ít.",
        ],
        ("h_ketnap_100",),
    ),
    (
        "h_congvien",
        "s09",
        "add",
        [
            "Đề nghị bổ sung nhiệm vụ cải tạo công viên Lê Văn Tám thành không gian sinh hoạt cộng đồng.",
            "Bổ sung giải pháp chỉnh trang công viên Lê Văn Tám phục vụ người dân vui chơi, tập thể dục.",
        ],
        (),
    ),
    (
        "h_doanhnhan",
        "s10",
        "add",
        [
            "Bổ sung giải pháp phát triển đảng viên là chủ doanh nghiệp, doanh nhân trẻ.",
            "Đề nghị có giải pháp kết nạp doanh nhân, chủ doanh nghiệp tư nhân vào Đảng.",
        ],
        (),
    ),
]
AGREEMENTS = [
    "Chi bộ cơ bản thống nhất với dự thảo.",
    "Tán thành nội dung dự thảo báo cáo chính trị, không có ý kiến khác.",
    "dong y voi du thao",
]
