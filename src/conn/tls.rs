//! TLS as libpq does it, with rustls: for every `sslmode`, the server certificate checked
//! against `sslrootcert` (or `~/.postgresql/root.crt`) whenever one exists, the host name
//! for `verify-full` (subjectAltName, else the common name), a self-signed server
//! certificate given as its own root accepted as OpenSSL accepts it, client certificates
//! (`sslcert`/`sslkey`, or `~/.postgresql/postgresql.crt`/`.key`), `sslsni`, the protocol
//! version bounds and direct TLS negotiation.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use super::{ConnParams, ConnectError, SslMode, TlsVersion};

fn home_file(name: &str) -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    Path::new(&home).join(".postgresql").join(name)
}

fn read_pem(path: &Path, what: &str) -> Result<Vec<u8>, ConnectError> {
    crate::bounded::read_regular(path, 1 << 20)
        .map_err(|e| ConnectError::Tls(format!("{what} {}: {e}", path.display())))
}

/// The client configuration for `params` (its first TLS host).
pub fn client_config(params: &ConnParams) -> Result<rustls::ClientConfig, ConnectError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = &params.tls;
    let versions: Vec<&'static rustls::SupportedProtocolVersion> = [
        (TlsVersion::V1_2, &rustls::version::TLS12),
        (TlsVersion::V1_3, &rustls::version::TLS13),
    ]
    .into_iter()
    .filter(|(v, _)| *v >= tls.min_version && *v <= tls.max_version)
    .map(|(_, p)| p)
    .collect();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .map_err(|e| ConnectError::Tls(e.to_string()))?;
    let verifier: Arc<dyn ServerCertVerifier> = match root_certificates(params)? {
        Some(roots) => Arc::new(LibpqVerifier::new(
            roots,
            params.sslmode == SslMode::VerifyFull,
            provider.clone(),
        )?),
        None => Arc::new(NoVerification(provider.clone())),
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match client_certificate(params)? {
        Some((certs, key)) => builder
            .with_client_auth_cert(certs, key)
            .map_err(|e| ConnectError::Tls(format!("client certificate: {e}")))?,
        None => builder.with_no_client_auth(),
    };
    config.enable_sni = tls.sni;
    if tls.direct {
        config.alpn_protocols = vec![b"postgresql".to_vec()];
    }
    Ok(config)
}

/// Trusted roots: the system's (`sslrootcert=system`: the bundled web roots) or a file's.
#[derive(Debug)]
enum Roots {
    System,
    Files(Vec<CertificateDer<'static>>),
}

/// The trusted roots, when the server's certificate is to be checked: always for
/// `verify-ca`/`verify-full` (a missing file is an error), and for the other modes when a
/// root file exists, as libpq does.
fn root_certificates(params: &ConnParams) -> Result<Option<Roots>, ConnectError> {
    let verify = matches!(params.sslmode, SslMode::VerifyCa | SslMode::VerifyFull);
    let path = params
        .tls
        .rootcert
        .clone()
        .unwrap_or_else(|| home_file("root.crt"));
    if path.as_os_str() == "system" {
        return Ok(Some(Roots::System));
    }
    if !path.exists() {
        if verify {
            return Err(ConnectError::Tls(format!(
                "root certificate file {} does not exist; sslmode={} needs one (sslrootcert or ~/.postgresql/root.crt)",
                path.display(),
                if params.sslmode == SslMode::VerifyCa { "verify-ca" } else { "verify-full" }
            )));
        }
        return Ok(None);
    }
    let pem = read_pem(&path, "root certificate file")?;
    let mut certs = Vec::new();
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        certs.push(cert.map_err(|e| ConnectError::Tls(format!("{}: {e}", path.display())))?);
    }
    if certs.is_empty() {
        return Err(ConnectError::Tls(format!(
            "{}: no certificate found",
            path.display()
        )));
    }
    Ok(Some(Roots::Files(certs)))
}

/// The client certificate and key: `sslcert`/`sslkey`, else `~/.postgresql/postgresql.crt`
/// and `.key` when they exist. A key file others may read is refused, as libpq does.
#[allow(clippy::type_complexity)]
fn client_certificate(
    params: &ConnParams,
) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>, ConnectError> {
    let tls = &params.tls;
    if !tls.send_client_cert {
        return Ok(None);
    }
    let cert_path = match &tls.cert {
        Some(p) => {
            if !p.exists() {
                return Err(ConnectError::Tls(format!(
                    "client certificate file {} (sslcert) does not exist",
                    p.display()
                )));
            }
            p.clone()
        }
        None => {
            let p = home_file("postgresql.crt");
            if !p.exists() {
                return Ok(None);
            }
            p
        }
    };
    let key_path = tls
        .key
        .clone()
        .unwrap_or_else(|| home_file("postgresql.key"));
    let pem = read_pem(&cert_path, "client certificate file")?;
    let certs: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| ConnectError::Tls(format!("{}: {e}", cert_path.display())))?;
    if certs.is_empty() {
        return Err(ConnectError::Tls(format!(
            "{}: no certificate found",
            cert_path.display()
        )));
    }
    let meta = std::fs::metadata(&key_path).map_err(|e| {
        ConnectError::Tls(format!(
            "private key file {} (sslkey) for {}: {e}",
            key_path.display(),
            cert_path.display()
        ))
    })?;
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = meta.permissions().mode();
        let root_group_readable = meta.uid() == 0 && mode & 0o137 == 0;
        if mode & 0o077 != 0 && !root_group_readable {
            return Err(ConnectError::Tls(format!(
                "private key file {} has group or world access; permissions should be u=rw (0600) or less",
                key_path.display()
            )));
        }
    }
    let pem = read_pem(&key_path, "private key file")?;
    let key = rustls_pemfile::private_key(&mut pem.as_slice())
        .map_err(|e| ConnectError::Tls(format!("{}: {e}", key_path.display())))?
        .ok_or_else(|| {
            ConnectError::Tls(format!(
                "{}: no private key found (encrypted keys are not supported)",
                key_path.display()
            ))
        })?;
    Ok(Some((certs, key)))
}

/// Encrypts without checking the certificate: libpq's `require`/`prefer`/`allow` when no
/// root certificate file exists.
#[derive(Debug)]
pub struct NoVerification(pub Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Checks the server's certificate as libpq with OpenSSL does: the chain against the roots
/// (webpki), the host name only for `verify-full` — subjectAltName entries, else the
/// common name — and a self-signed certificate that is itself one of the roots accepted as
/// the server's own certificate (OpenSSL trusts it as its own anchor, even with
/// `CA:TRUE`), provided it is within its validity, its signature is its own and its key
/// usages allow a TLS server.
#[derive(Debug)]
pub struct LibpqVerifier {
    roots: Vec<CertificateDer<'static>>,
    webpki: Arc<WebPkiServerVerifier>,
    check_name: bool,
}

impl LibpqVerifier {
    fn new(
        roots: Roots,
        check_name: bool,
        provider: Arc<CryptoProvider>,
    ) -> Result<LibpqVerifier, ConnectError> {
        let mut store = rustls::RootCertStore::empty();
        let roots = match roots {
            Roots::System => {
                store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
                Vec::new()
            }
            Roots::Files(certs) => {
                for cert in &certs {
                    store
                        .add(cert.clone())
                        .map_err(|e| ConnectError::Tls(format!("root certificate: {e}")))?;
                }
                certs
            }
        };
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
            .build()
            .map_err(|e| ConnectError::Tls(e.to_string()))?;
        Ok(LibpqVerifier {
            roots,
            webpki,
            check_name,
        })
    }
}

fn bad(e: CertificateError) -> rustls::Error {
    rustls::Error::InvalidCertificate(e)
}

fn other(text: &str) -> rustls::Error {
    bad(CertificateError::Other(rustls::OtherError(Arc::new(
        std::io::Error::other(text.to_string()),
    ))))
}

impl ServerCertVerifier for LibpqVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => {
                if !self.check_name || name_matches_common_name(end_entity, server_name) {
                    Ok(ServerCertVerified::assertion())
                } else {
                    Err(bad(CertificateError::NotValidForName))
                }
            }
            // webpki refuses a CA certificate as the server's own (CaUsedAsEndEntity);
            // OpenSSL trusts a certificate found among its anchors as it is.
            Err(_) if self.roots.iter().any(|r| r.as_ref() == end_entity.as_ref()) => {
                self.self_signed_root(end_entity, server_name, now)?;
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => Err(e),
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

impl LibpqVerifier {
    /// The checks OpenSSL makes of a self-signed server certificate it finds among its
    /// trust anchors.
    fn self_signed_root(
        &self,
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), rustls::Error> {
        use x509_parser::prelude::*;
        let (_, cert) = X509Certificate::from_der(end_entity.as_ref())
            .map_err(|_| bad(CertificateError::BadEncoding))?;
        let at = ASN1Time::from_timestamp(now.as_secs() as i64)
            .map_err(|_| bad(CertificateError::BadEncoding))?;
        if !cert.validity().is_valid_at(at) {
            return Err(bad(if at < cert.validity().not_before {
                CertificateError::NotValidYet
            } else {
                CertificateError::Expired
            }));
        }
        if cert.subject() != cert.issuer() || cert.verify_signature(None).is_err() {
            return Err(bad(CertificateError::BadSignature));
        }
        if let Ok(Some(ku)) = cert.key_usage() {
            let k = ku.value;
            if !(k.digital_signature() || k.key_encipherment() || k.key_agreement()) {
                return Err(other(
                    "the self-signed server certificate's key usage does not allow a TLS server",
                ));
            }
        }
        if let Ok(Some(eku)) = cert.extended_key_usage() {
            if !(eku.value.server_auth || eku.value.any) {
                return Err(bad(CertificateError::InvalidPurpose));
            }
        }
        if self.check_name && !name_matches(end_entity, server_name) {
            return Err(bad(CertificateError::NotValidForName));
        }
        Ok(())
    }
}

/// libpq's host name rules: a dNSName entry (a `*.` first label matches one label), an
/// iPAddress entry for an address, else — when the certificate has neither — the common
/// name.
fn name_matches(der: &CertificateDer<'_>, server_name: &ServerName<'_>) -> bool {
    names_of(der).is_some_and(|(dns, ips, cns)| {
        let host = server_name_text(server_name);
        let ip: Option<IpAddr> = host.parse().ok();
        let san_match = match ip {
            Some(ip) => ips.contains(&ip),
            None => dns.iter().any(|d| dns_matches(d, &host)),
        };
        san_match || (dns.is_empty() && ips.is_empty() && cns.iter().any(|c| dns_matches(c, &host)))
    })
}

/// The common-name fallback alone (webpki already checked the subjectAltName entries).
fn name_matches_common_name(der: &CertificateDer<'_>, server_name: &ServerName<'_>) -> bool {
    names_of(der).is_some_and(|(dns, ips, cns)| {
        let host = server_name_text(server_name);
        dns.is_empty() && ips.is_empty() && cns.iter().any(|c| dns_matches(c, &host))
    })
}

type Names = (Vec<String>, Vec<IpAddr>, Vec<String>);

fn names_of(der: &CertificateDer<'_>) -> Option<Names> {
    use x509_parser::prelude::*;
    let (_, cert) = X509Certificate::from_der(der.as_ref()).ok()?;
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns.push(d.to_string()),
                GeneralName::IPAddress(bytes) => match bytes.len() {
                    4 => ips.push(IpAddr::from(<[u8; 4]>::try_from(*bytes).ok()?)),
                    16 => ips.push(IpAddr::from(<[u8; 16]>::try_from(*bytes).ok()?)),
                    _ => {}
                },
                _ => {}
            }
        }
    }
    let cns = cert
        .subject()
        .iter_common_name()
        .filter_map(|cn| cn.as_str().ok().map(str::to_string))
        .collect();
    Some((dns, ips, cns))
}

fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => IpAddr::from(*ip).to_string(),
        _ => String::new(),
    }
}

fn dns_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix("*.") {
        Some(rest) => host
            .split_once('.')
            .is_some_and(|(first, tail)| !first.is_empty() && tail == rest),
        None => pattern == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_label() {
        assert!(dns_matches("*.example.com", "db.example.com"));
        assert!(dns_matches("DB.example.com", "db.EXAMPLE.com"));
        assert!(!dns_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_matches("*.example.com", "example.com"));
    }
}
