//! The sealed Typst world the PDF template runs in: one main source (the
//! template), one data file (`/data.json`), the fonts of the repository's
//! `fonts/` folder compiled into the binary, a fixed date. Nothing from the
//! disk, the network or the clock.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Virtual path of the template inside the Typst world (messages use the
/// caller's template name instead).
pub(super) const MAIN_PATH: &str = "/package.typ";
/// Virtual path the template reads its data from.
pub(super) const DATA_PATH: &str = "/data.json";

/// The fonts the template may name (licences in `fonts/`).
const FONT_FILES: [&[u8]; 8] = [
    include_bytes!("../../../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../../../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../../../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../../../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../../../fonts/DejaVuSansMono.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono-Bold.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono-Oblique.ttf"),
    include_bytes!("../../../fonts/DejaVuSansMono-BoldOblique.ttf"),
];

/// Fonts and library, built once per process: parsing the embedded fonts is
/// the most expensive part of a small render.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// Interned file ids for the two virtual files. Interning is global and
/// permanent in Typst, so fixed paths keep the table from growing.
fn file_id(path: &'static str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Virtual folder of the pictures the template may show (`/images/<src>`).
pub(super) const IMAGES_PATH: &str = "/images/";

pub(super) struct PdfWorld {
    main: FileId,
    data_id: FileId,
    source: Source,
    data: Bytes,
    today: Option<Datetime>,
    images: Vec<(FileId, Bytes)>,
}

impl PdfWorld {
    /// `None` only if Typst rejects our own constant paths (it does not).
    pub(super) fn new(
        template: &str,
        data: Vec<u8>,
        today: Option<Datetime>,
        images: Vec<(String, Vec<u8>)>,
    ) -> Option<Self> {
        let main = file_id(MAIN_PATH)?;
        let data_id = file_id(DATA_PATH)?;
        // Image ids are interned too; a package shows a handful of diagrams.
        let images = images
            .into_iter()
            .filter_map(|(src, bytes)| {
                let vpath = VirtualPath::new(format!("{IMAGES_PATH}{src}")).ok()?;
                Some((
                    RootedPath::new(VirtualRoot::Project, vpath).intern(),
                    Bytes::new(bytes),
                ))
            })
            .collect();
        Some(Self {
            main,
            data_id,
            source: Source::new(main, template.to_string()),
            data: Bytes::new(data),
            today,
            images,
        })
    }

    pub(super) fn main_id(&self) -> FileId {
        self.main
    }

    /// The template source, for turning spans into line and column.
    pub(super) fn main_source(&self) -> &Source {
        &self.source
    }
}

impl World for PdfWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else if id == self.data_id {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.source.clone()))
        } else if let Some((_, bytes)) = self.images.iter().find(|(image, _)| *image == id) {
            Ok(bytes.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    /// The document date, whatever the offset: output never depends on when
    /// or where it is built.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

/// Warms the font cache (useful before timing a render).
pub(super) fn preload() {
    let _ = shared();
}
