//! Compressed files (`.gz`, `.zst`): read as the file they hold, through a decoder that
//! stops at a size limit, so a small file that inflates without end (a zip bomb) is
//! skipped rather than filling memory or disk.
//!
//! gzip goes through `flate2`'s multi-member decoder: a WARC file is one gzip member per
//! record, and `cat a.gz b.gz` is a valid gzip file holding both. Zstandard goes through
//! `zstd`, whose frames (one or many) are read the same way.

use std::io::{BufRead, BufReader, Read};

use dateline_schema::formats::Compression;

use crate::Skip;

/// How much a dump may inflate past its compressed size before it is taken for a zip bomb:
/// real news text compresses 3 to 10 times, gzip at most about 1,000.
pub(crate) const MAX_RATIO: u64 = 100;

/// A decompressed stream, failing once it has given more than its limit.
pub(crate) struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

/// The error a [`Bounded`] stream fails with once past its limit.
#[derive(Debug)]
pub(crate) struct Inflated {
    pub limit: u64,
}

impl std::fmt::Display for Inflated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "decompresses to more than {} bytes", self.limit)
    }
}

impl std::error::Error for Inflated {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a stream that ends exactly at the limit from one that goes on.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(Inflated { limit: self.limit })),
            };
        }
        let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The decompressed stream of `reader`, failing past `limit` bytes.
pub(crate) fn decoder<'a, R: BufRead + Send + 'a>(
    compression: Compression,
    reader: R,
    limit: u64,
) -> std::io::Result<Box<dyn Read + Send + 'a>> {
    let inner: Box<dyn Read + Send + 'a> = match compression {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
    };
    Ok(Box::new(Bounded { inner, left: limit, limit }))
}

/// Opens a decompressed stream from its start, afresh each time.
pub(crate) type Open = dyn Fn() -> std::io::Result<Box<dyn BufRead + Send>> + Send;

/// A decompressed stream that can go back: a seek behind where it is opens it again and reads
/// up to the place (for CSV, which goes back only to start again after an unclosed quote).
pub(crate) struct Reopening {
    open: Box<Open>,
    reader: Box<dyn BufRead + Send>,
    at: u64,
}

impl Reopening {
    pub(crate) fn new(open: Box<Open>) -> std::io::Result<Reopening> {
        let reader = open()?;
        Ok(Reopening { open, reader, at: 0 })
    }
}

impl Read for Reopening {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.at += n as u64;
        Ok(n)
    }
}

impl BufRead for Reopening {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.reader.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.reader.consume(n);
        self.at += n as u64;
    }
}

impl std::io::Seek for Reopening {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let std::io::SeekFrom::Start(to) = to else {
            return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
        };
        if to < self.at {
            self.reader = (self.open)()?;
            self.at = 0;
        }
        let gap = to - self.at;
        let skipped = std::io::copy(&mut (&mut *self).take(gap), &mut std::io::sink())?;
        if self.at < to {
            let ended = std::io::ErrorKind::UnexpectedEof;
            return Err(std::io::Error::new(
                ended,
                format!("the stream ends after {skipped} bytes"),
            ));
        }
        Ok(self.at)
    }
}

/// Why reading a compressed stream failed: its limit passed, or the stream is damaged.
pub(crate) fn skip(err: &std::io::Error) -> Skip {
    match err.get_ref().and_then(|inner| inner.downcast_ref::<Inflated>()) {
        Some(inflated) => Skip::Inflates { limit: inflated.limit },
        None => Skip::Corrupt { reason: err.to_string() },
    }
}

/// The bytes `compressed` holds, at most `limit` of them.
pub(crate) fn decompress(
    compression: Compression,
    compressed: &[u8],
    limit: u64,
) -> Result<Vec<u8>, Skip> {
    let mut bytes = Vec::new();
    decoder(compression, BufReader::new(compressed), limit)
        .and_then(|mut decoder| decoder.read_to_end(&mut bytes))
        .map_err(|err| skip(&err))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn every_member_of_a_gzip_file_and_every_zstd_frame_is_read() {
        let mut two = gzip(b"Port strike\n\n");
        two.extend(gzip(b"Dockers walked out.\n"));
        let text = b"Port strike\n\nDockers walked out.\n";
        assert_eq!(decompress(Compression::Gzip, &two, 100).unwrap(), text);
        let mut frames = zstd::encode_all(&b"Port strike\n\n"[..], 3).unwrap();
        frames.extend(zstd::encode_all(&b"Dockers walked out.\n"[..], 3).unwrap());
        assert_eq!(decompress(Compression::Zstd, &frames, 100).unwrap(), text);
    }

    #[test]
    fn a_stream_is_read_to_its_limit_and_no_further() {
        let zeros = gzip(&vec![0u8; 1 << 20]);
        assert!(zeros.len() < 8 << 10, "{}", zeros.len());
        assert_eq!(decompress(Compression::Gzip, &zeros, 1 << 20).unwrap().len(), 1 << 20);
        let over = decompress(Compression::Gzip, &zeros, (1 << 20) - 1).unwrap_err();
        assert_eq!(over, Skip::Inflates { limit: (1 << 20) - 1 });
    }

    #[test]
    fn a_cut_or_damaged_stream_is_named_as_such() {
        let whole = gzip("Dockers walked out of Rotterdam. ".repeat(50).as_bytes());
        let cut = decompress(Compression::Gzip, &whole[..whole.len() / 2], 1 << 20);
        assert!(matches!(cut, Err(Skip::Corrupt { .. })), "{cut:?}");
        let zst = zstd::encode_all("Dockers walked out. ".repeat(50).as_bytes(), 3).unwrap();
        let cut = decompress(Compression::Zstd, &zst[..zst.len() - 3], 1 << 20);
        assert!(matches!(cut, Err(Skip::Corrupt { .. })), "{cut:?}");
        let not_gzip = decompress(Compression::Gzip, b"plain text, not gzip", 1 << 20);
        assert!(matches!(not_gzip, Err(Skip::Corrupt { .. })), "{not_gzip:?}");
    }
}
