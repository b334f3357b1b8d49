"""The synthesis tests' draft (Markdown) and a deterministic embedder, shared by their files and conftest."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from daihoi.synthesis.text import fold

DRAFT_MD = """# Dự thảo Báo cáo chính trị Đảng bộ phường Tân Định
Lời mở đầu không thuộc mục nào.

# Phần thứ nhất: Kết quả thực hiện Nghị quyết
## 1. Về phát triển kinh tế {#s01}
Tốc độ tăng trưởng kinh tế bình quân đạt 10%/năm; thu ngân sách vượt dự toán.

## 2. Về văn hóa – xã hội {#s02}
Phong trào "Toàn dân đoàn kết xây dựng đời sống văn hóa" được triển khai sâu rộng.
- Tỷ lệ hộ gia đình văn hóa đạt 95%.

# Phần thứ hai: Phương hướng nhiệm kỳ 2025–2030
## 3. Về quốc phòng, an ninh
Giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn.
### Chỉ tiêu
Kéo giảm tội phạm hình sự.
"""


class FakeEmbedder:
    """Deterministic: a hashed bag of folded words, so texts sharing words are close."""

    floor = 0.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in fold(t).split():
                out[r, int(hashlib.sha256(w.encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms
