"""HTTPS for the hall: a certificate made on first start (self-signed, kept beside the database), or
one the organisers bring. Phones show a warning for a self-signed certificate; the SHA-256 fingerprint
printed by `daihoi serve` is what the technician compares with the one the browser shows."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from pathlib import Path

CERT_NAME = "hall-cert.pem"
KEY_NAME = "hall-key.pem"


def fingerprint(cert_path: Path) -> str:
    """The certificate's SHA-256 fingerprint as browsers show it: AB:CD:..."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def check_pair(cert_path: Path, key_path: Path) -> None:
    """Raise ValueError (with what is wrong) unless the files are a PEM certificate and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError) as error:
        raise ValueError(f"{cert_path}: not a PEM certificate ({error})") from error
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f"{key_path}: not an unencrypted PEM private key ({error})") from error
    if cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise ValueError(f"{key_path} is not the key of {cert_path}")


def hall_certificate(directory: Path, addresses: list[str]) -> tuple[Path, Path, bool]:
    """The hall's certificate and key in `directory`, made on first use for `addresses` (IPs or names)
    and kept for later starts, so that the fingerprint people checked stays the same.
    Returns (cert, key, made_now)."""
    cert_path, key_path = directory / CERT_NAME, directory / KEY_NAME
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path, False

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for address in dict.fromkeys(["localhost", "127.0.0.1", socket.gethostname(), *addresses]):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(address.strip("[]"))))
        except ValueError:
            names.append(x509.DNSName(address))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "daihoi hall")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, True


def endpoint(host: str, port: int, cert_path: Path, key_path: Path) -> str:
    """A Twisted endpoint description for daphne: TLS on host:port."""

    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace(":", r"\:")

    return (
        f"ssl:port={int(port)}:interface={escape(host.strip('[]'))}"
        f":privateKey={escape(str(key_path))}:certKey={escape(str(cert_path))}"
    )
