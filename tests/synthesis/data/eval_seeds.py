"""Hand-written seeds of the labelled evaluation set: every point (a true group) with its section, its
kind and several wordings of it, as Party cells and delegates write them. `build_eval.py` turns them
into comments.csv + labels.csv. `opposes` lists the points that must never be merged with this one.
"""

from __future__ import annotations

# (key, section, kind, wordings, opposes)
POINTS: list[tuple[str, str, str, list[str], tuple[str, ...]]] = [
    # s01 kinh tế, thu ngân sách
    (
        "thatthu",
        "s01",
        "amend",
        [
            "Đề nghị đánh giá rõ hơn tình trạng thất thu thuế trong lĩnh vực cho thuê nhà và kinh doanh trực tuyến.",
            "Báo cáo cần nêu cụ thể số thuế còn thất thu từ hoạt động cho thuê nhà, bán hàng qua mạng.",
            "Việc chống thất thu thuế đối với cho thuê nhà, kinh doanh online cần được đánh giá cụ thể hơn, không nên nêu chung chung.",
            "Thất thu thuế cho thuê nhà và thương mại điện tử còn lớn, đề nghị đánh giá đúng thực chất.",
            "Cần làm rõ kết quả chống thất thu ngân sách ở lĩnh vực cho thuê nhà trọ, kinh doanh trên mạng.",
        ],
        (),
    ),
    (
        "doanhnghiep",
        "s01",
        "add",
        [
            "Đề nghị bổ sung số liệu về số hộ kinh doanh đã chuyển đổi lên doanh nghiệp trong nhiệm kỳ.",
            "Nên bổ sung kết quả chuyển đổi hộ kinh doanh thành doanh nghiệp, hiện báo cáo chưa có số liệu này.",
            "Bổ sung đánh giá việc hỗ trợ hộ kinh doanh cá thể chuyển thành doanh nghiệp.",
            "Báo cáo còn thiếu số liệu hộ kinh doanh chuyển đổi sang mô hình doanh nghiệp, đề nghị bổ sung.",
        ],
        (),
    ),
    (
        "solieu_doanhthu",
        "s01",
        "amend",
        [
            "Số liệu tổng doanh thu thương mại, dịch vụ tăng bình quân 10,2%/năm cần được đối chiếu lại với số liệu của Chi cục Thống kê.",
            "Đề nghị rà soát lại số liệu tăng trưởng doanh thu 10,2% cho khớp với báo cáo thống kê.",
            "Con số doanh thu tăng 10,2% mỗi năm chưa thống nhất với số liệu thống kê, cần kiểm tra lại.",
        ],
        (),
    ),
    (
        "kinhtedem_s01",
        "s01",
        "other",
        [
            "Phường có lợi thế về kinh tế đêm nhưng báo cáo chưa đánh giá kết quả khai thác lợi thế này.",
            "Chưa thấy báo cáo đánh giá tiềm năng kinh tế ban đêm, phố ẩm thực của phường.",
            "Kết quả phát triển kinh tế đêm, phố đi bộ ẩm thực chưa được nhắc đến trong phần đánh giá.",
        ],
        (),
    ),
    # s02 đô thị, môi trường
    (
        "ngap",
        "s02",
        "add",
        [
            "Đề nghị bổ sung giải pháp cụ thể khắc phục tình trạng ngập cục bộ khi mưa lớn trên đường Trần Quang Khải.",
            "Cần có giải pháp chống ngập cho tuyến Trần Quang Khải, mỗi khi mưa lớn là ngập sâu.",
            "Tình trạng ngập nước khi mưa lớn tại đường Trần Quang Khải kéo dài nhiều năm, đề nghị nêu rõ giải pháp xử lý dứt điểm.",
            "Bổ sung giải pháp xử lý điểm ngập đường Trần Quang Khải.",
            "Nhân dân rất bức xúc về ngập khi mưa ở Trần Quang Khải, báo cáo cần đưa giải pháp khắc phục.",
        ],
        (),
    ),
    (
        "phanloairac",
        "s02",
        "amend",
        [
            "Đề nghị đánh giá kết quả thí điểm phân loại rác tại nguồn và đề ra lộ trình nhân rộng ra toàn phường.",
            "Việc phân loại rác tại nguồn mới làm thí điểm ở hai khu phố, cần có lộ trình triển khai ra tất cả khu phố.",
            "Cần nhân rộng mô hình phân loại rác thải tại nguồn sau thí điểm, có lộ trình cụ thể.",
            "Phân loại rác tại nguồn nên được đánh giá kết quả thí điểm và mở rộng ra các khu phố còn lại.",
        ],
        (),
    ),
    (
        "viahe_chophep",
        "s02",
        "amend",
        [
            "Đề nghị cho phép hộ kinh doanh sử dụng tạm thời một phần vỉa hè có thu phí, bảo đảm lối đi cho người đi bộ.",
            "Nên cho phép sử dụng có thời hạn một phần vỉa hè để buôn bán và thu phí theo quy định, vì nhiều hộ sống nhờ buôn bán nhỏ.",
            "Cho phép người dân kinh doanh trên một phần vỉa hè theo giờ và có thu phí để vừa bảo đảm sinh kế vừa có trật tự.",
        ],
        ("viahe_cam",),
    ),
    (
        "viahe_cam",
        "s02",
        "amend",
        [
            "Đề nghị cấm tuyệt đối việc lấn chiếm vỉa hè, lòng đường để kinh doanh, xử lý nghiêm các trường hợp tái phạm.",
            "Cấm hẳn việc buôn bán trên vỉa hè, lòng đường, trả lại vỉa hè cho người đi bộ.",
            "Kiên quyết cấm kinh doanh lấn chiếm vỉa hè, lòng đường, không để tái diễn.",
        ],
        ("viahe_chophep",),
    ),
    (
        "xaydung",
        "s02",
        "other",
        [
            "Còn tình trạng xây dựng sai phép, cơi nới trái phép nhưng báo cáo đánh giá 100% công trình được cấp phép là chưa phản ánh đúng.",
            "Đánh giá 100% công trình xây dựng mới được cấp phép chưa đúng thực tế vì vẫn còn xây dựng sai phép.",
            "Thực tế vẫn có công trình xây dựng không phép, cơi nới sai phép, đề nghị đánh giá lại cho khách quan.",
        ],
        (),
    ),
    (
        "cayxanh",
        "s02",
        "add",
        [
            "Bổ sung nội dung phát triển cây xanh, công viên nhỏ trong khu dân cư.",
            "Đề nghị bổ sung giải pháp tăng diện tích cây xanh, mảng xanh ở các khu dân cư.",
        ],
        (),
    ),
    # s03 văn hóa xã hội
    (
        "giadinhvanhoa_thucchat",
        "s03",
        "amend",
        [
            "Đề nghị đánh giá chất lượng thực chất danh hiệu gia đình văn hóa, tránh chạy theo số lượng.",
            "Danh hiệu gia đình văn hóa còn hình thức, cần đánh giá thực chất hơn chứ không chỉ nêu tỷ lệ.",
            "Tỷ lệ gia đình văn hóa cao nhưng chất lượng chưa thực chất, báo cáo nên đánh giá đúng mức.",
            "Việc bình xét gia đình văn hóa còn nể nang, chạy theo thành tích, đề nghị đánh giá lại thực chất.",
            "Cần nhìn nhận thẳng thắn là danh hiệu gia đình văn hóa có nơi còn hình thức.",
        ],
        (),
    ),
    (
        "nguoicaotuoi",
        "s03",
        "add",
        [
            "Đề nghị bổ sung nội dung chăm sóc người cao tuổi, nhất là người cao tuổi sống một mình.",
            "Bổ sung kết quả chăm lo đời sống người cao tuổi, người già neo đơn trên địa bàn.",
            "Báo cáo chưa đề cập đến công tác chăm sóc người cao tuổi, đề nghị bổ sung.",
            "Cần bổ sung đánh giá việc chăm sóc, phụng dưỡng người cao tuổi cô đơn.",
        ],
        (),
    ),
    (
        "truongchuan",
        "s03",
        "amend",
        [
            "Chỉ có 3/5 trường đạt chuẩn quốc gia, đề nghị phân tích nguyên nhân các trường còn lại chưa đạt chuẩn.",
            "Cần nêu rõ lý do 2 trường chưa đạt chuẩn quốc gia và hướng khắc phục.",
            "Đề nghị làm rõ vì sao còn 2 trường chưa được công nhận đạt chuẩn quốc gia.",
        ],
        (),
    ),
    (
        "bhyt",
        "s03",
        "other",
        [
            "Tỷ lệ tham gia BHYT mới đạt 92%, cần có giải pháp vận động các đối tượng còn lại tham gia.",
            "Tỷ lệ người dân tham gia bảo hiểm y tế 92% là chưa cao, cần giải pháp vận động mạnh hơn.",
            "Cần đẩy mạnh vận động người dân tham gia bảo hiểm y tế, tỷ lệ 92% còn thấp so với thành phố.",
        ],
        (),
    ),
    (
        "hocthem",
        "s03",
        "other",
        [
            "Tình trạng dạy thêm, học thêm tràn lan chưa được báo cáo đề cập.",
            "Cần quan tâm chấn chỉnh việc dạy thêm học thêm trái quy định ở các trường trên địa bàn.",
        ],
        (),
    ),
    # s04 quốc phòng an ninh
    (
        "lua_dao_mang",
        "s04",
        "add",
        [
            "Đề nghị bổ sung giải pháp phòng chống lừa đảo qua mạng, nhất là đối với người cao tuổi.",
            "Cần có giải pháp tuyên truyền phòng, chống lừa đảo trên không gian mạng cho người dân.",
            "Lừa đảo qua mạng ngày càng nhiều, báo cáo cần bổ sung giải pháp phòng ngừa.",
            "Bổ sung giải pháp tuyên truyền để người dân nhận diện thủ đoạn lừa đảo qua điện thoại, mạng xã hội.",
            "Cần tăng cường tuyên truyền phòng chống lừa đảo công nghệ cao.",
        ],
        (),
    ),
    (
        "camera",
        "s04",
        "amend",
        [
            "Mô hình camera an ninh cần được đánh giá hiệu quả thực tế, nhiều camera đã hư hỏng không sử dụng được.",
            "Đề nghị rà soát lại 420 camera an ninh vì có nhiều camera hỏng, chưa kết nối.",
            "Nhiều camera an ninh ở các hẻm đã hư, cần đánh giá thực chất hiệu quả mô hình.",
            "Cần có kinh phí duy tu, sửa chữa camera an ninh vì nhiều camera đã hỏng.",
        ],
        (),
    ),
    (
        "matuy",
        "s04",
        "amend",
        [
            "Báo cáo cần đánh giá cụ thể hơn tình hình tội phạm ma túy, số người nghiện trên địa bàn.",
            "Đề nghị nêu rõ số liệu về người sử dụng trái phép chất ma túy và kết quả cai nghiện.",
            "Tình hình ma túy phức tạp nhưng báo cáo nêu chung chung, cần có số liệu cụ thể.",
        ],
        (),
    ),
    (
        "pccc",
        "s04",
        "add",
        [
            "Đề nghị bổ sung nội dung phòng cháy, chữa cháy ở khu dân cư, nhất là nhà ở kết hợp kinh doanh.",
            "Bổ sung công tác PCCC tại các hẻm nhỏ, nhà trọ, nhà ở kết hợp kinh doanh.",
            "Cần bổ sung giải pháp phòng cháy chữa cháy cho nhà trọ và các hẻm sâu xe chữa cháy không vào được.",
        ],
        (),
    ),
    (
        "toipham_5",
        "s04",
        "add",
        [
            "Đề nghị bổ sung chỉ tiêu kéo giảm tội phạm về trật tự xã hội 5%/năm.",
            "Nên đưa chỉ tiêu giảm 5% số vụ phạm pháp hình sự mỗi năm vào báo cáo.",
        ],
        ("toipham_10",),
    ),
    (
        "toipham_10",
        "s04",
        "add",
        [
            "Đề nghị bổ sung chỉ tiêu kéo giảm tội phạm về trật tự xã hội 10%/năm.",
            "Nên đưa chỉ tiêu giảm 10% số vụ phạm pháp hình sự mỗi năm vào báo cáo.",
        ],
        ("toipham_5",),
    ),
    # s05 CCHC, chuyển đổi số
    (
        "truc_tuyen_thap",
        "s05",
        "amend",
        [
            "Tỷ lệ hồ sơ trực tuyến toàn trình mới đạt 46%, đề nghị phân tích nguyên nhân còn thấp.",
            "Cần làm rõ vì sao tỷ lệ hồ sơ nộp trực tuyến toàn trình chỉ đạt 46%.",
            "Hồ sơ trực tuyến toàn trình 46% là thấp, báo cáo nên nêu nguyên nhân và trách nhiệm.",
        ],
        (),
    ),
    (
        "motcua",
        "s05",
        "other",
        [
            "Bộ phận một cửa cần tiếp tục nâng cao thái độ phục vụ người dân, vẫn còn tình trạng hướng dẫn nhiều lần.",
            "Người dân còn phải đi lại nhiều lần khi làm thủ tục tại bộ phận một cửa, cần chấn chỉnh.",
            "Đề nghị chấn chỉnh tình trạng người dân phải bổ sung hồ sơ nhiều lần tại bộ phận một cửa.",
            "Thái độ của một số công chức một cửa chưa tốt, hướng dẫn hồ sơ không một lần.",
        ],
        (),
    ),
    (
        "todcns",
        "s05",
        "amend",
        [
            "Tổ công nghệ số cộng đồng hoạt động còn hình thức, cần đánh giá hiệu quả thực tế.",
            "Đề nghị đánh giá thực chất hoạt động của các tổ công nghệ số cộng đồng ở khu phố.",
            "Các tổ công nghệ số cộng đồng thành lập đủ nhưng hoạt động chưa hiệu quả.",
        ],
        (),
    ),
    (
        "hailong",
        "s05",
        "other",
        [
            "Chỉ số hài lòng 92,5% cần ghi rõ nguồn khảo sát.",
            "Đề nghị nêu rõ chỉ số hài lòng của người dân 92,5% do đơn vị nào khảo sát.",
        ],
        (),
    ),
    (
        "kynangso",
        "s05",
        "add",
        [
            "Bổ sung giải pháp nâng cao kỹ năng số cho người dân, nhất là người lớn tuổi.",
            "Đề nghị bổ sung nội dung phổ cập kỹ năng số cho người dân để sử dụng dịch vụ công trực tuyến.",
            "Cần bổ sung việc hướng dẫn người dân, người cao tuổi sử dụng dịch vụ công trực tuyến, ứng dụng VNeID.",
        ],
        (),
    ),
    # s06 xây dựng Đảng
    (
        "ketnap_dn",
        "s06",
        "amend",
        [
            "Đề nghị đánh giá rõ kết quả kết nạp đảng viên trong doanh nghiệp tư nhân, hiện còn rất ít.",
            "Việc phát triển đảng viên trong doanh nghiệp ngoài nhà nước còn khó khăn, cần đánh giá cụ thể.",
            "Số đảng viên kết nạp trong doanh nghiệp tư nhân rất thấp, báo cáo nên nêu rõ nguyên nhân.",
        ],
        (),
    ),
    (
        "giamsat_mttq",
        "s06",
        "amend",
        [
            "Vai trò giám sát, phản biện xã hội của MTTQ và các đoàn thể còn hạn chế, đề nghị đánh giá đúng thực tế.",
            "Đánh giá MTTQ và đoàn thể phát huy tốt vai trò giám sát, phản biện là chưa sát, thực tế còn hình thức.",
            "Hoạt động giám sát và phản biện xã hội của Mặt trận, đoàn thể còn mang tính hình thức.",
        ],
        (),
    ),
    (
        "dangvien_taicho",
        "s06",
        "add",
        [
            "Đề nghị bổ sung đánh giá việc đảng viên đang công tác giữ mối liên hệ với chi ủy và nhân dân nơi cư trú.",
            "Bổ sung nội dung quản lý đảng viên sinh hoạt nơi cư trú theo Quy định 213.",
            "Cần bổ sung đánh giá thực hiện Quy định 213 về đảng viên đang công tác giữ mối liên hệ nơi cư trú.",
        ],
        (),
    ),
    (
        "hochcm",
        "s06",
        "other",
        [
            "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh cần nêu gương điển hình cụ thể.",
            "Đề nghị nêu các gương điển hình trong học tập và làm theo Bác.",
        ],
        (),
    ),
    # s07 hạn chế, nguyên nhân
    (
        "bo_coban",
        "s07",
        "remove",
        [
            "Đề nghị bỏ cụm từ 'cơ bản' trong câu 'cơ bản hoàn thành các chỉ tiêu' vì có chỉ tiêu không đạt.",
            "Bỏ chữ 'cơ bản' ở câu cơ bản hoàn thành các chỉ tiêu, nên nói rõ chỉ tiêu nào chưa đạt.",
            "Lược bỏ từ 'cơ bản hoàn thành' vì không phản ánh đúng, một số chỉ tiêu chưa đạt.",
        ],
        ("giu_coban",),
    ),
    (
        "giu_coban",
        "s07",
        "other",
        [
            "Đề nghị giữ nguyên cụm từ 'cơ bản hoàn thành các chỉ tiêu' như dự thảo, không nên bỏ.",
            "Giữ nguyên cách viết 'cơ bản hoàn thành các chỉ tiêu', vì phần lớn chỉ tiêu đã đạt.",
        ],
        ("bo_coban",),
    ),
    (
        "nguyennhan_chuquan",
        "s07",
        "amend",
        [
            "Phần nguyên nhân chủ quan cần chỉ rõ trách nhiệm của tập thể, cá nhân, nhất là người đứng đầu.",
            "Đề nghị làm rõ trách nhiệm của người đứng đầu trong nguyên nhân của hạn chế, không nên nêu chung chung.",
            "Nguyên nhân của hạn chế còn chung chung, cần gắn với trách nhiệm cụ thể của cấp ủy và người đứng đầu.",
            "Cần nói rõ cá nhân nào, cơ quan nào chịu trách nhiệm về những hạn chế.",
            "Phân tích nguyên nhân chủ quan phải cụ thể, gắn trách nhiệm người đứng đầu.",
        ],
        (),
    ),
    (
        "baihoc",
        "s07",
        "add",
        [
            "Đề nghị bổ sung bài học kinh nghiệm về phát huy vai trò của nhân dân trong xây dựng đô thị.",
            "Bài học kinh nghiệm cần bổ sung nội dung lấy dân làm gốc, phát huy sức dân.",
            "Nên bổ sung bài học về dựa vào dân, phát huy quyền làm chủ của nhân dân.",
        ],
        (),
    ),
    (
        "sinhhoatchibo_hanche",
        "s07",
        "other",
        [
            "Hạn chế về chất lượng sinh hoạt chi bộ cần nêu rõ ở những chi bộ nào.",
            "Đề nghị chỉ rõ các chi bộ có chất lượng sinh hoạt chưa cao.",
        ],
        (),
    ),
    # s08 mục tiêu, chỉ tiêu
    (
        "doanhthu_12",
        "s08",
        "amend",
        [
            "Đề nghị nâng chỉ tiêu tăng trưởng doanh thu thương mại – dịch vụ lên 12%/năm cho tương xứng tiềm năng.",
            "Chỉ tiêu doanh thu thương mại, dịch vụ tăng 10% là thấp, nên nâng lên 12% mỗi năm.",
            "Nâng chỉ tiêu doanh thu thương mại dịch vụ lên bình quân 12%/năm.",
            "Đề nghị điều chỉnh chỉ tiêu tăng doanh thu thương mại – dịch vụ lên 12%/năm.",
        ],
        ("doanhthu_8", "doanhthu_giu"),
    ),
    (
        "doanhthu_8",
        "s08",
        "amend",
        [
            "Đề nghị hạ chỉ tiêu tăng trưởng doanh thu thương mại – dịch vụ xuống 8%/năm cho sát với tình hình kinh tế khó khăn.",
            "Chỉ tiêu doanh thu thương mại, dịch vụ tăng 10% là cao, nên giảm xuống 8% mỗi năm.",
            "Giảm chỉ tiêu doanh thu thương mại dịch vụ xuống bình quân 8%/năm.",
        ],
        ("doanhthu_12", "doanhthu_giu"),
    ),
    (
        "doanhthu_giu",
        "s08",
        "amend",
        [
            "Đề nghị giữ nguyên chỉ tiêu doanh thu thương mại – dịch vụ tăng bình quân 10%/năm như dự thảo.",
            "Chỉ tiêu doanh thu thương mại, dịch vụ tăng 10%/năm là phù hợp, nên giữ nguyên.",
        ],
        ("doanhthu_12", "doanhthu_8"),
    ),
    (
        "gdvh_98",
        "s08",
        "amend",
        [
            "Đề nghị điều chỉnh chỉ tiêu tỷ lệ hộ gia đình văn hóa lên 98% trở lên.",
            "Chỉ tiêu hộ gia đình văn hóa nên là 98% trở lên.",
            "Nâng tỷ lệ hộ gia đình văn hóa lên 98%.",
        ],
        ("gdvh_90",),
    ),
    (
        "gdvh_90",
        "s08",
        "amend",
        [
            "Đề nghị điều chỉnh chỉ tiêu tỷ lệ hộ gia đình văn hóa là 90% trở lên.",
            "Chỉ tiêu hộ gia đình văn hóa nên là 90% trở lên để đánh giá thực chất.",
        ],
        ("gdvh_98",),
    ),
    (
        "tructuyen_80",
        "s08",
        "amend",
        [
            "Đề nghị nâng chỉ tiêu tỷ lệ hồ sơ trực tuyến toàn trình lên 80%.",
            "Chỉ tiêu hồ sơ trực tuyến toàn trình nên đạt 80% mới phù hợp yêu cầu chuyển đổi số.",
            "Tỷ lệ hồ sơ trực tuyến toàn trình đến năm 2030 nên là 80%.",
        ],
        ("tructuyen_60",),
    ),
    (
        "tructuyen_60",
        "s08",
        "amend",
        [
            "Đề nghị giảm chỉ tiêu tỷ lệ hồ sơ trực tuyến toàn trình xuống 60% vì hiện mới đạt 46%.",
            "Chỉ tiêu hồ sơ trực tuyến toàn trình 70% là khó đạt, nên là 60%.",
        ],
        ("tructuyen_80",),
    ),
    (
        "chitieu_moitruong",
        "s08",
        "add",
        [
            "Đề nghị bổ sung chỉ tiêu về tỷ lệ rác thải được phân loại tại nguồn.",
            "Nên bổ sung một chỉ tiêu về môi trường, ví dụ tỷ lệ hộ dân phân loại rác tại nguồn.",
            "Bổ sung chỉ tiêu phân loại rác thải sinh hoạt tại nguồn vào các chỉ tiêu chủ yếu.",
        ],
        (),
    ),
    (
        "vanminh_hiendai",
        "s08",
        "amend",
        [
            "Mục tiêu tổng quát nên viết ngắn gọn, dễ nhớ: phường văn minh, hiện đại, nghĩa tình, đáng sống.",
            "Đề nghị bổ sung cụm từ 'đáng sống' vào mục tiêu tổng quát: xây dựng phường văn minh, hiện đại, nghĩa tình, đáng sống.",
        ],
        (),
    ),
    # s09 nhiệm vụ KT-XH
    (
        "kinhtedem",
        "s09",
        "amend",
        [
            "Giải pháp phát triển kinh tế đêm cần cụ thể hơn: quy hoạch tuyến phố, thời gian hoạt động, bảo đảm an ninh trật tự.",
            "Đề nghị cụ thể hóa giải pháp phát triển kinh tế đêm, gắn với bảo đảm ANTT và vệ sinh môi trường.",
            "Phát triển kinh tế ban đêm phải có quy hoạch cụ thể tuyến phố và bảo đảm trật tự, không ảnh hưởng dân cư.",
            "Kinh tế đêm nên có lộ trình, tuyến phố cụ thể, đi đôi với bảo đảm an ninh trật tự.",
        ],
        (),
    ),
    (
        "hemchinhtrang",
        "s09",
        "add",
        [
            "Đề nghị bổ sung kế hoạch chỉnh trang, mở rộng các hẻm nhỏ dưới 2 mét để xe chữa cháy, cấp cứu vào được.",
            "Bổ sung giải pháp mở rộng hẻm nhỏ, hẻm cụt để bảo đảm PCCC và cứu thương.",
            "Cần có kế hoạch chỉnh trang, nới rộng hẻm sâu, hẻm hẹp theo phương thức Nhà nước và nhân dân cùng làm.",
        ],
        (),
    ),
    (
        "ansinh_nguoingheo",
        "s09",
        "other",
        [
            "Cần quan tâm hơn đến người lao động tự do, người thu nhập thấp chưa được thụ hưởng chính sách.",
            "Đề nghị có giải pháp hỗ trợ lao động tự do, thu nhập thấp vì nhóm này chưa có chính sách nào.",
            "Chính sách an sinh cần mở rộng tới người lao động tự do, buôn bán nhỏ có thu nhập thấp.",
        ],
        (),
    ),
    (
        "hkd_dn",
        "s09",
        "amend",
        [
            "Giải pháp hỗ trợ hộ kinh doanh chuyển đổi thành doanh nghiệp cần có cơ chế hỗ trợ cụ thể về thủ tục, thuế, kế toán.",
            "Đề nghị cụ thể hóa cơ chế hỗ trợ hộ kinh doanh lên doanh nghiệp: hỗ trợ thủ tục, tư vấn thuế, kế toán.",
            "Hỗ trợ hộ kinh doanh chuyển lên doanh nghiệp phải có chính sách cụ thể, không nên chỉ nêu khẩu hiệu.",
        ],
        (),
    ),
    (
        "dulich",
        "s09",
        "other",
        [
            "Phường có nhiều di tích, nên gắn phát triển du lịch với bảo tồn di tích lịch sử văn hóa.",
            "Đề nghị khai thác các di tích, chùa, nhà thờ trên địa bàn để phát triển du lịch.",
        ],
        (),
    ),
    # s10 xây dựng Đảng
    (
        "sapnhap_chibo",
        "s10",
        "amend",
        [
            "Đề nghị sáp nhập các chi bộ khu phố có dưới 10 đảng viên để nâng chất lượng sinh hoạt.",
            "Nên sáp nhập những chi bộ khu phố ít đảng viên, sinh hoạt không đủ điều kiện.",
            "Các chi bộ khu phố quá ít đảng viên cần được sáp nhập lại.",
        ],
        ("giu_chibo",),
    ),
    (
        "giu_chibo",
        "s10",
        "amend",
        [
            "Đề nghị giữ nguyên các chi bộ khu phố hiện có, không sáp nhập vì địa bàn rộng, khó sinh hoạt.",
            "Không nên sáp nhập chi bộ khu phố, giữ nguyên như hiện nay để sát dân.",
        ],
        ("sapnhap_chibo",),
    ),
    (
        "sinhhoat_chuyende",
        "s10",
        "amend",
        [
            "Cần đổi mới nội dung sinh hoạt chi bộ, tăng sinh hoạt chuyên đề, tránh sinh hoạt đơn điệu.",
            "Đề nghị có giải pháp đổi mới sinh hoạt chi bộ theo hướng sinh hoạt chuyên đề, thiết thực.",
            "Sinh hoạt chi bộ còn đơn điệu, cần tăng cường sinh hoạt chuyên đề.",
            "Nâng cao chất lượng sinh hoạt chi bộ bằng cách đổi mới nội dung, sinh hoạt chuyên đề thường xuyên.",
        ],
        (),
    ),
    (
        "canbo_tre",
        "s10",
        "add",
        [
            "Bổ sung giải pháp đào tạo, bồi dưỡng cán bộ trẻ, cán bộ nữ để tạo nguồn cho nhiệm kỳ sau.",
            "Đề nghị bổ sung nội dung quy hoạch, tạo nguồn cán bộ trẻ và cán bộ nữ.",
            "Cần chú trọng tạo nguồn cán bộ trẻ, nữ trong công tác quy hoạch cán bộ.",
        ],
        (),
    ),
    (
        "tinhgon",
        "s10",
        "other",
        [
            "Tinh gọn tổ chức bộ máy phải đi đôi với nâng cao chất lượng đội ngũ cán bộ, công chức.",
            "Việc tinh gọn bộ máy cần gắn với sắp xếp, nâng cao chất lượng CBCC.",
            "Sắp xếp, tinh gọn bộ máy phải kết hợp với nâng chất lượng cán bộ, công chức.",
        ],
        (),
    ),
]

# Plain agreements as units write them (never grouped).
AGREEMENTS: list[str] = [
    "Thống nhất cao với dự thảo Báo cáo chính trị.",
    "Chi bộ thống nhất cao với nội dung dự thảo.",
    "Nhất trí với dự thảo, không có ý kiến gì thêm.",
    "Tán thành với bố cục và nội dung của dự thảo báo cáo.",
    "nhat tri voi du thao bao cao chinh tri",
    "Thống nhất với dự thảo báo cáo, không góp ý thêm.",
    "Đồng ý với nội dung dự thảo.",
    "Hoàn toàn nhất trí với dự thảo Báo cáo chính trị của Ban Chấp hành Đảng bộ phường.",
    "Tán thành.",
    "thong nhat cao voi du thao",
    "Nhất trí với các mục tiêu, chỉ tiêu mà dự thảo đưa ra.",
    "Chi bộ nhất trí với đánh giá kết quả nhiệm kỳ qua.",
]
# Agreement-like openings that still carry a proposal (must NOT be counted as agreements).
BUT_PREFIXES: list[str] = [
    "Thống nhất với dự thảo, tuy nhiên ",
    "Nhất trí với dự thảo; ",
    "Cơ bản tán thành, nhưng ",
]
