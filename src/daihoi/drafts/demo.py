"""The demo's drafts: the ward's political report (10 sections) and the district's draft, a few hundred
comments from the 20 cells and the delegates, the ward's synthesis of the district's draft, and a
district congress that imports it together with three other wards' exports.

Registered as a part of `seed_demo` (`daihoi.congress.demo.register_part`). Comments are written with
`bulk_create` and one audit entry per batch, so that seeding stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.demo import DEMO_USERS, WARD, DemoPart, register_part
from daihoi.congress.models import Congress, Delegate, Organization, StaffRole
from daihoi.drafts.actions import documents as document_actions
from daihoi.drafts.actions import upper as upper_actions
from daihoi.drafts.actions.synthesis import store_first_draft
from daihoi.drafts.models import Comment, DraftDocument
from daihoi.drafts.report import export_json

SEED = 2011
DISTRICT = "Quận Thống Nhất"
DISTRICT_SLUG = "quan-thong-nhat-xii"
OTHER_WARDS = ("Phường Tân Tiến", "Phường Quyết Thắng", "Phường Trung Dũng")

REPORT_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("Phần thứ nhất. Kết quả thực hiện Nghị quyết nhiệm kỳ 2015–2020", "1. Về phát triển kinh tế",
     "Tổng thu ngân sách trên địa bàn đạt 128% chỉ tiêu. Thương mại – dịch vụ tăng bình quân 11,2% mỗi năm. "
     "Số hộ kinh doanh tăng 23%; thu hút thêm 41 doanh nghiệp mới."),
    ("Phần thứ nhất. Kết quả thực hiện Nghị quyết nhiệm kỳ 2015–2020", "2. Về quản lý đô thị và môi trường",
     "Chỉnh trang 14 tuyến hẻm, lắp đèn chiếu sáng 100% tuyến đường. Tỷ lệ thu gom rác thải sinh hoạt đạt 98%. "
     "Tình trạng lấn chiếm vỉa hè còn diễn ra ở một số tuyến."),
    ("Phần thứ nhất. Kết quả thực hiện Nghị quyết nhiệm kỳ 2015–2020", "3. Về văn hóa – xã hội",
     "Tỷ lệ gia đình văn hóa đạt 96,5%; 14/14 khu phố đạt khu phố văn hóa. Giảm hộ nghèo theo chuẩn thành phố "
     "còn 0,3%. Chăm lo gia đình chính sách, người có công."),
    ("Phần thứ nhất. Kết quả thực hiện Nghị quyết nhiệm kỳ 2015–2020", "4. Về quốc phòng – an ninh",
     "Hoàn thành 100% chỉ tiêu giao quân. Phạm pháp hình sự giảm 18% so với nhiệm kỳ trước. Xây dựng 14 mô hình "
     "tự quản về an ninh trật tự."),
    ("Phần thứ nhất. Kết quả thực hiện Nghị quyết nhiệm kỳ 2015–2020", "5. Về cải cách hành chính",
     "Tiếp nhận và giải quyết đúng hạn 99,2% hồ sơ. Triển khai dịch vụ công trực tuyến mức độ 3 cho 42 thủ tục."),
    ("Phần thứ nhất. Kết quả thực hiện Nghị quyết nhiệm kỳ 2015–2020", "6. Về công tác xây dựng Đảng",
     "Kết nạp 62 đảng viên mới, đạt 124% chỉ tiêu. 100% chi bộ sinh hoạt chuyên đề hằng quý. Kiểm tra, giám sát "
     "theo kế hoạch 38 tổ chức đảng và 75 đảng viên."),
    ("Phần thứ hai. Mục tiêu, nhiệm vụ nhiệm kỳ 2020–2025", "7. Mục tiêu tổng quát",
     "Xây dựng Đảng bộ trong sạch, vững mạnh; phát triển kinh tế – xã hội bền vững; xây dựng phường văn minh, "
     "hiện đại, nghĩa tình."),
    ("Phần thứ hai. Mục tiêu, nhiệm vụ nhiệm kỳ 2020–2025", "8. Các chỉ tiêu chủ yếu",
     "Tổng thu ngân sách tăng bình quân 10% mỗi năm. Tỷ lệ hộ gia đình văn hóa đạt 95% trở lên. Kết nạp ít nhất "
     "50 đảng viên mới. 100% hồ sơ hành chính giải quyết đúng hạn."),
    ("Phần thứ hai. Mục tiêu, nhiệm vụ nhiệm kỳ 2020–2025", "9. Nhiệm vụ trọng tâm",
     "Năm nhiệm vụ trọng tâm: chỉnh trang đô thị; chuyển đổi số trong cải cách hành chính; giữ vững an ninh trật "
     "tự; nâng chất lượng sinh hoạt chi bộ; chăm lo an sinh xã hội."),
    ("Phần thứ hai. Mục tiêu, nhiệm vụ nhiệm kỳ 2020–2025", "10. Giải pháp thực hiện",
     "Phát huy vai trò Mặt trận Tổ quốc và các đoàn thể; huy động nguồn lực xã hội hóa; tăng cường kiểm tra, "
     "giám sát việc thực hiện nghị quyết."),
)  # fmt: skip

# Per section: points, each said in several ways (paraphrase, no diacritics, abbreviations); and, for a
# target, the opposite proposals that must stay apart.
POINTS: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    1: (("amend", ("Đề nghị đánh giá rõ hơn nguyên nhân thu ngân sách vượt chỉ tiêu, tránh chủ quan.",
                   "Cần phân tích nguyên nhân thu ngân sách vượt cao, có yếu tố khách quan hay không.",
                   "De nghi lam ro nguyen nhan thu ngan sach vuot chi tieu.")),
        ("add", ("Bổ sung đánh giá về hộ kinh doanh cá thể chuyển lên doanh nghiệp.",
                 "Nên bổ sung số hộ kinh doanh chuyển đổi thành doanh nghiệp trong nhiệm kỳ.")),),
    2: (("amend", ("Đánh giá thẳng thắn hơn tình trạng lấn chiếm vỉa hè, lòng đường còn phức tạp.",
                   "Tình trạng lấn chiếm lòng lề đường cần nêu rõ là hạn chế kéo dài, chưa xử lý dứt điểm.",
                   "Lan chiem via he con phuc tap, de nghi danh gia nghiem tuc hon.")),
        ("add", ("Bổ sung nội dung về ngập nước cục bộ khi mưa lớn ở khu phố 5, 7.",
                 "Cần đề cập tình trạng ngập khi mưa lớn tại các hẻm thấp.")),
        ("add", ("Bổ sung kết quả phân loại rác tại nguồn.",)),),
    3: (("amend", ("Đề nghị đánh giá chất lượng thực chất danh hiệu gia đình văn hóa, tránh chạy theo số lượng.",
                   "Danh hiệu gia đình văn hóa còn hình thức, cần đánh giá thực chất.",
                   "Xem lại cách bình xét gia đình văn hóa cho thực chất, không chạy theo tỷ lệ.",
                   "danh hieu gia dinh van hoa con nang ve hinh thuc")),
        ("add", ("Bổ sung kết quả chăm lo người cao tuổi neo đơn.",
                 "Nên nêu thêm công tác chăm sóc người cao tuổi không nơi nương tựa.")),),
    4: (("amend", ("Cần nêu rõ tình hình ma túy trong thanh thiếu niên còn diễn biến phức tạp.",
                   "Tệ nạn ma túy trong giới trẻ chưa được đánh giá đầy đủ.",
                   "Đánh giá sâu hơn về ANTT liên quan ma túy ở thanh thiếu niên.")),
        ("add", ("Bổ sung vai trò của tổ dân phố trong giữ gìn ANTT.",)),),
    5: (("amend", ("Đánh giá rõ hơn hạn chế của dịch vụ công trực tuyến: người dân còn ít sử dụng.",
                   "Tỷ lệ hồ sơ nộp trực tuyến còn thấp, báo cáo cần nêu rõ.",
                   "CCHC: dich vu cong truc tuyen nguoi dan it dung, can danh gia dung thuc te.")),
        ("add", ("Bổ sung thái độ phục vụ của cán bộ một cửa.",
                 "Cần nêu tinh thần, thái độ phục vụ nhân dân của cán bộ tiếp nhận hồ sơ.")),),
    6: (("amend", ("Chất lượng sinh hoạt chi bộ ở một số khu phố còn đơn điệu, cần nêu rõ.",
                   "Sinh hoạt chi bộ khu phố chưa thu hút đảng viên trẻ, cần đánh giá.",
                   "Nội dung sinh hoạt chi bộ còn hình thức, nên chỉ ra cụ thể.")),
        ("add", ("Bổ sung việc quản lý đảng viên sinh hoạt hai chiều tại nơi cư trú.",)),),
    7: (("amend", ("Đề nghị thêm cụm từ “đoàn kết, dân chủ” vào mục tiêu tổng quát.",
                   "Mục tiêu tổng quát nên có “phát huy dân chủ, đoàn kết”.")),),
    8: (("amend", ("Đề nghị nâng chỉ tiêu tăng thu ngân sách lên 12% mỗi năm.",
                   "Nên nâng chỉ tiêu thu ngân sách lên 12%/năm vì nhiệm kỳ qua đã vượt.")),
        ("amend", ("Đề nghị giảm chỉ tiêu tăng thu ngân sách xuống 8% mỗi năm cho sát thực tế.",
                   "Chỉ tiêu thu ngân sách nên hạ xuống 8% do ảnh hưởng dịch bệnh.")),
        ("amend", ("Chỉ tiêu kết nạp đảng viên nên nâng lên 60 đồng chí.",
                   "Nâng chỉ tiêu kết nạp đảng viên mới lên 60.")),
        ("add", ("Bổ sung chỉ tiêu về tỷ lệ hồ sơ nộp trực tuyến.",
                 "Cần có chỉ tiêu tỷ lệ thủ tục hành chính nộp qua mạng.")),),
    9: (("amend", ("Nhiệm vụ chuyển đổi số cần cụ thể hơn, có lộ trình từng năm.",
                   "Chuyen doi so can co lo trinh cu the theo nam.")),
        ("remove", ("Đề nghị bỏ nhiệm vụ “chăm lo an sinh xã hội” khỏi trọng tâm vì là nhiệm vụ thường xuyên.",)),),
    10: (("add", ("Bổ sung giải pháp phát huy vai trò người đứng đầu.",
                  "Cần nhấn mạnh trách nhiệm người đứng đầu cấp ủy, chính quyền.",
                  "Bo sung giai phap ve trach nhiem nguoi dung dau.")),),
}  # fmt: skip

AGREEMENTS = (
    "Thống nhất cao với dự thảo báo cáo chính trị.",
    "Tán thành toàn văn dự thảo.",
    "Chi bộ nhất trí với nội dung dự thảo.",
    "Thong nhat voi du thao",
)

DISTRICT_DRAFT: tuple[tuple[str, str], ...] = (
    ("1. Đánh giá tình hình thực hiện Nghị quyết Đại hội XI", "Kinh tế quận tăng trưởng bình quân 9,1%/năm; "
     "thu ngân sách vượt 15% chỉ tiêu; chỉnh trang 120 tuyến hẻm."),
    ("2. Phát triển kinh tế – xã hội", "Tập trung phát triển thương mại – dịch vụ; nâng chất lượng giáo dục, y tế."),
    ("3. Quản lý đô thị", "Tăng cường quản lý trật tự xây dựng, chống ngập, chỉnh trang đô thị."),
    ("4. Cải cách hành chính và chuyển đổi số", "Xây dựng chính quyền số; 100% thủ tục đủ điều kiện được cung "
     "cấp trực tuyến toàn trình."),
    ("5. Quốc phòng – an ninh", "Giữ vững an ninh chính trị, trật tự an toàn xã hội."),
    ("6. Xây dựng Đảng và hệ thống chính trị", "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng."),
)  # fmt: skip
DISTRICT_POINTS: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    1: (("amend", ("Cần đánh giá tác động của dịch bệnh đến tăng trưởng kinh tế quận.",
                   "Báo cáo nên phân tích ảnh hưởng của dịch COVID-19 tới kinh tế.")),),
    3: (("add", ("Bổ sung giải pháp chống ngập cho các phường trũng thấp.",
                 "Cần có giải pháp cụ thể chống ngập nước khi triều cường.",
                 "Bo sung giai phap chong ngap")),
        ("amend", ("Quản lý trật tự xây dựng cần nêu trách nhiệm của phường.",)),),
    4: (("amend", ("Chỉ tiêu 100% thủ tục trực tuyến toàn trình là quá cao, nên điều chỉnh.",
                   "Mục tiêu dịch vụ công toàn trình 100% khó đạt, đề nghị xem lại.")),
        ("add", ("Bổ sung đào tạo kỹ năng số cho cán bộ phường.",)),),
    6: (("add", ("Bổ sung nhiệm vụ trẻ hóa đội ngũ bí thư chi bộ khu phố.",
                 "Cần quan tâm trẻ hóa cấp ủy cơ sở, nhất là bí thư chi bộ khu phố.")),),
}  # fmt: skip


def _markdown(title: str, sections: tuple[tuple[str, str, str], ...] | tuple[tuple[str, str], ...]) -> bytes:
    lines = [f"# {title}", ""]
    part = None
    for row in sections:
        if len(row) == 3:
            if row[0] != part:
                part = row[0]
                lines += [f"# {part}", ""]
            heading, body = row[1], row[2]
        else:
            heading, body = row[0], row[1]
        lines += [f"## {heading}", ""]
        lines += [sentence.strip().rstrip(".") + "." for sentence in body.split(". ") if sentence.strip(".")]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _comments(
    draft: DraftDocument,
    points: dict[int, tuple[tuple[str, tuple[str, ...]], ...]],
    units: list[Organization],
    rng: random.Random,
    *,
    per_point: tuple[int, int],
    delegates: list[Delegate],
    agreements: int,
) -> list[Comment]:
    sections = list(draft.current_sections())
    out: list[Comment] = []

    def add(text: str, kind: str, section_index: int | None, unit: Organization | None, delegate: Delegate | None,
            source: str) -> None:  # fmt: skip
        section = sections[section_index - 1] if section_index else None
        out.append(
            Comment(
                congress_id=draft.congress_id,
                draft=draft,
                section=section,
                kind=kind,
                text=text,
                original_text=text,
                source=source,
                unit=unit,
                unit_name=unit.name if unit else "",
                delegate=delegate,
                batch="demo",
                created_by=SYSTEM.label,
            )
        )

    for index, section_points in points.items():
        for kind, sayings in section_points:
            senders = rng.sample(units, min(len(units), rng.randint(*per_point)))
            for n, unit in enumerate(senders):
                text = sayings[n % len(sayings)]
                # Many unit forms name no section or no kind; the synthesis infers them.
                add(text, kind if rng.random() < 0.6 else "", index if rng.random() < 0.7 else None, unit, None,
                    Comment.Source.UNIT_FORM if rng.random() < 0.5 else Comment.Source.FILE)  # fmt: skip
            if senders and rng.random() < 0.3:  # the same unit resends its comment
                add(sayings[0], kind, index, senders[0], None, Comment.Source.FILE)
            for delegate in rng.sample(delegates, min(len(delegates), rng.randint(1, 3))):
                add(_fold(sayings[-1]) if rng.random() < 0.3 else sayings[-1], kind, index, None, delegate,
                    Comment.Source.PHONE)  # fmt: skip
    for unit in rng.sample(units, min(len(units), agreements)):
        add(rng.choice(AGREEMENTS), "", None, unit, None, Comment.Source.UNIT_FORM)
    return out


def _bulk(draft: DraftDocument, comments: list[Comment]) -> None:
    Comment.objects.bulk_create(comments)


def _ward_export(name: str, rng: random.Random) -> bytes:
    """Another ward's synthesis of the district draft, as its congress would have exported it."""
    sections = []
    for index, section_points in DISTRICT_POINTS.items():
        groups = []
        for kind, sayings in section_points:
            if rng.random() < 0.3:
                continue
            units = rng.randint(1, 9)
            groups.append({"comments": [], "units": units, "unit_names": [], "subunits": 0, "kind": kind,
                           "summary": rng.choice(sayings), "status": "taken", "response": ""})  # fmt: skip
        sections.append({"section": f"s{index:02d}", "title": DISTRICT_DRAFT[index - 1][0], "groups": groups})
    doc = {"format": "daihoi-synthesis/1", "unit": f"Đảng bộ {name}", "draft": "", "sections": sections,
           "agreements": [], "agreement_units": rng.randint(3, 9)}  # fmt: skip
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def load_demo_drafts(congress: Congress) -> list[DraftDocument]:
    """Everything of the demo's drafts, in one transaction, audited as one entry per congress."""
    rng = random.Random(SEED)
    units = list(Organization.objects.filter(parent=congress.organization).order_by("order"))
    delegates = list(Delegate.objects.filter(congress=congress).order_by("number")[:60])
    report = document_actions.write_draft(
        congress,
        filename="du-thao-bao-cao-chinh-tri.md",
        data=_markdown(
            f"Dự thảo Báo cáo chính trị Đại hội Đảng bộ phường {WARD} lần thứ XV", REPORT_SECTIONS
        ),
        kind=DraftDocument.DraftKind.OWN_REPORT,
    )
    district_md = _markdown(
        f"Dự thảo Báo cáo chính trị Đại hội Đảng bộ {DISTRICT} lần thứ XII", DISTRICT_DRAFT
    )
    upper = document_actions.write_draft(
        congress, filename="du-thao-quan.md", data=district_md, kind=DraftDocument.DraftKind.UPPER_DRAFT
    )
    Comment.objects.bulk_create(
        _comments(report, POINTS, units, rng, per_point=(5, 12), delegates=delegates, agreements=12)
        + _comments(upper, DISTRICT_POINTS, units, rng, per_point=(3, 9), delegates=delegates, agreements=8)
    )
    # The ward synthesizes the district's draft and sends it up; the district imports it with 3 others.
    synthesis, _facts = store_first_draft(upper, SYSTEM, lexical=True)  # fast; "make again" uses the model
    district = _district_congress()
    district_draft = document_actions.write_draft(
        district, filename="du-thao-quan.md", data=district_md, kind=DraftDocument.DraftKind.OWN_REPORT
    )
    ward_file = json.dumps(export_json(synthesis), ensure_ascii=False).encode("utf-8")
    files = [(f"tong-hop-{congress.slug}.json", ward_file)] + [
        (f"tong-hop-{i}.json", _ward_export(name, rng)) for i, name in enumerate(OTHER_WARDS, start=1)
    ]
    incoming = upper_actions.import_lower_syntheses(district_draft, SYSTEM, files=files, record=False)
    audit.record_many(
        [
            audit.Change(
                SYSTEM.label,
                "demo.drafts",
                congress.pk,
                congress,
                after={"drafts": [report.title, upper.title], "comments": Comment.objects.filter(congress=congress).count()},
            ),
            audit.Change(
                SYSTEM.label, "demo.drafts", district.pk, district, after={"drafts": [district_draft.title],
                "comments": incoming.created, "files": incoming.files},
            ),
        ]
    )  # fmt: skip
    return [report, upper, district_draft]


def _district_congress() -> Congress:
    organization = Organization.objects.create(name=f"Đảng bộ {DISTRICT}", code="dang-bo-quan-thong-nhat")
    Organization.objects.bulk_create(
        [
            Organization(name=f"Đảng bộ {name}", code=f"p{i}", parent=organization, order=i, member_count=0)
            for i, name in enumerate((f"Phường {WARD}", *OTHER_WARDS))
        ]
    )
    district = Congress.objects.create(
        organization=organization,
        slug=DISTRICT_SLUG,
        name=f"Đại hội đại biểu Đảng bộ {DISTRICT} lần thứ XII, nhiệm kỳ 2020–2025",
        ordinal=12,
        term_start=2020,
        term_end=2025,
        starts_on=dt.date(2020, 8, 20),
        ends_on=dt.date(2020, 8, 22),
        venue=f"Hội trường {DISTRICT}",
    )
    # The demo's staff serve the district congress too (superusers see it anyway).
    roles = {username: role for username, role, _label in DEMO_USERS if role is not None}
    StaffRole.objects.bulk_create(
        [
            StaffRole(user=user, congress=district, role=roles[user.username])
            for user in get_user_model().objects.filter(username__in=list(roles))
        ]
    )
    return district


def clear_demo_drafts(congress: Congress) -> None:
    """The district congress goes with the ward's demo (its organization has no other congress)."""
    district = Congress.objects.filter(slug=DISTRICT_SLUG).first()
    if district is not None:
        organization = district.organization
        district.delete()
        if not organization.congresses.exists():
            Organization.objects.filter(parent=organization).delete()
            organization.delete()


def describe_demo_drafts(congress: Congress) -> str:
    lines = [
        _("Dự thảo “%(title)s”: %(sections)s mục, %(comments)s ý kiến góp ý")
        % {"title": d.title, "sections": d.current_sections().count(), "comments": d.comments.count()}
        for d in DraftDocument.objects.filter(congress=congress).order_by("pk")
    ]
    district = Congress.objects.filter(slug=DISTRICT_SLUG).first()
    if district is not None:
        lines.append(
            _(
                "%(name)s (/c/%(slug)s/drafts/): %(comments)s ý kiến từ %(files)s báo cáo tổng hợp của các phường"
            )
            % {
                "name": district.name,
                "slug": district.slug,
                "comments": Comment.objects.filter(congress=district).count(),
                "files": 1 + len(OTHER_WARDS),
            }
        )
    return "\n".join(lines)


def _load(congress: Congress) -> object:
    with transaction.atomic():
        return load_demo_drafts(congress)


register_part("drafts", DemoPart(load=_load, clear=clear_demo_drafts, describe=describe_demo_drafts))
