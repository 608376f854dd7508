//! The system as the threat model sees it: components, the flows between them, trust
//! boundaries, assets and the architecture views (§V.A.1, §V.B.2, Appendix 2).

use super::common::{Id, Markdown, Ref};
use super::located::Located;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What sort of thing a component is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// The medical device itself, or a hardware part of it.
    Device,
    /// Firmware or embedded software running on the device.
    Firmware,
    /// Application software (including SaMD) the manufacturer provides.
    Application,
    /// A mobile app (phone or tablet).
    MobileApp,
    /// A server (on premises).
    Server,
    /// A cloud service.
    CloudService,
    /// A general-purpose computer (PC, workstation).
    Workstation,
    /// A network: hospital LAN, Wi-Fi, the internet.
    Network,
    /// An accessory or peripheral device.
    Accessory,
    /// A hospital system: EMR, PACS, identity provider.
    HospitalSystem,
    /// Anything else.
    Other,
}

/// Who operates a component (Appendix 2.B: HDO-operated, manufacturer-controlled, ...).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    Manufacturer,
    Hospital,
    Patient,
    ThirdParty,
}

/// Operating system family, which decides the anti-malware expectation (App. 1 LOG-4a to 4c).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OsFamily {
    Windows,
    Linux,
    Android,
    Ios,
    Macos,
    Rtos,
    /// Bare metal, no operating system.
    None,
    Other,
}

/// How bytes move: the physical or logical channel of an interface or a flow.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    Ethernet,
    Wifi,
    Cellular,
    Bluetooth,
    Ble,
    Nfc,
    /// Magnetic inductive telemetry.
    Inductive,
    /// Other radio frequency links (MICS, proprietary RF).
    Rf,
    Usb,
    Serial,
    /// JTAG, SWD and other debug ports.
    Debug,
    /// Removable media (SD card, USB stick).
    RemovableMedia,
    /// Inside one component or board (IPC, SPI, I2C).
    Internal,
    /// Over the internet.
    Internet,
    Other,
}

impl Transport {
    /// Paths that count as an ability to connect to the internet under §VII.B, by any means,
    /// including hardware connectors used only for servicing.
    pub fn can_reach_internet(self) -> bool {
        !matches!(self, Transport::Internal | Transport::Other)
    }

    pub fn label(self) -> &'static str {
        match self {
            Transport::Ethernet => "Ethernet",
            Transport::Wifi => "Wi-Fi",
            Transport::Cellular => "Cellular",
            Transport::Bluetooth => "Bluetooth",
            Transport::Ble => "Bluetooth LE",
            Transport::Nfc => "NFC",
            Transport::Inductive => "Inductive telemetry",
            Transport::Rf => "RF",
            Transport::Usb => "USB",
            Transport::Serial => "Serial",
            Transport::Debug => "Debug port",
            Transport::RemovableMedia => "Removable media",
            Transport::Internal => "Internal",
            Transport::Internet => "Internet",
            Transport::Other => "Other",
        }
    }
}

/// The state an interface ships in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InterfaceState {
    /// In use.
    #[default]
    Enabled,
    /// Present but switched off in the shipped configuration.
    Disabled,
    /// Present and not used by any function.
    Unused,
    /// Physically removed or fused off before shipping.
    Removed,
}

/// A physical or logical interface of a component, used or not (Appendix 2.B item 1).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Interface {
    /// Short name, e.g. "USB service port".
    pub name: String,
    pub transport: Transport,
    #[serde(default)]
    pub state: InterfaceState,
    /// What it is for, and how it is protected when present but unused.
    #[serde(default)]
    pub description: Option<Markdown>,
}

/// A hardware or software element of the system: the device, its apps, servers, networks.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Component {
    pub id: Id,
    pub name: String,
    pub kind: ComponentKind,
    pub owner: Owner,
    /// True for the parts that make up the medical device being submitted.
    #[serde(default)]
    pub in_device: bool,
    /// True when this component is, or connects straight to, the internet.
    #[serde(default)]
    pub internet: bool,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Commercial platform or operating system, e.g. "Zephyr RTOS 3.6" (Appendix 2.B).
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub os: Option<OsFamily>,
    /// Every interface, including unused ones.
    #[serde(default)]
    pub interfaces: Vec<Interface>,
    /// Primary and all available functions, dormant ones included (Appendix 2.B item 4).
    #[serde(default)]
    pub functions: Vec<String>,
    /// Why dormant or unused functions cannot be activated or misused.
    #[serde(default)]
    pub dormant_features: Option<Markdown>,
    /// Accounts, privileges and passwords on this component (Appendix 2.B item 5).
    #[serde(default)]
    pub access_control: Option<Markdown>,
    /// User roles that interact with it (Appendix 2.B item 6).
    #[serde(default)]
    pub roles: Vec<String>,
    /// SBOM components that make it up, as purl or name@version (Appendix 2.B item 19).
    #[serde(default)]
    pub software: Vec<Located<String>>,
}

/// What a flow carries (Appendix 2.B item 2).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Payload {
    Data,
    Code,
    Commands,
}

/// How the two ends of a flow prove who they are (Appendix 2.B items 9 and 12).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Authentication {
    /// e.g. "mutual TLS with device certificates", "OAuth 2.0 bearer token", or "none".
    pub method: String,
    /// Both ends authenticate each other.
    #[serde(default)]
    pub mutual: bool,
    /// Algorithm and version, e.g. "ECDSA P-256".
    #[serde(default)]
    pub algorithm: Option<String>,
    /// Key or strength in bits.
    #[serde(default)]
    pub key_bits: Option<u32>,
    /// Where the authenticator is verified and how verification credentials reach both ends.
    #[serde(default)]
    pub verification: Option<Markdown>,
}

impl Authentication {
    pub fn is_none(&self) -> bool {
        self.method.trim().eq_ignore_ascii_case("none")
    }
}

/// How a flow is kept confidential (Appendix 2.B item 10).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Encryption {
    /// e.g. "TLS 1.3", "AES-256-GCM over BLE", or "none".
    pub protocol: String,
    #[serde(default)]
    pub algorithm: Option<String>,
    #[serde(default)]
    pub key_bits: Option<u32>,
    /// Key generation, storage, distribution and rotation (Appendix 2.B item 13).
    #[serde(default)]
    pub key_management: Option<Markdown>,
}

impl Encryption {
    pub fn is_none(&self) -> bool {
        self.protocol.trim().eq_ignore_ascii_case("none")
    }
}

/// A communication path between two components (Appendix 2.B).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Flow {
    pub id: Id,
    /// What the flow is for, in a few words; shown in the customer ports table.
    pub purpose: String,
    /// The component that opens the connection or sends.
    pub from: Ref,
    /// The component that accepts the connection or receives.
    pub to: Ref,
    /// Data moves both ways.
    #[serde(default)]
    pub bidirectional: bool,
    pub transport: Transport,
    /// Protocol name, e.g. "HTTPS", "MQTT", "BLE GATT".
    pub protocol: String,
    /// Protocol version, e.g. "TLS 1.3", "MQTT 5".
    #[serde(default)]
    pub protocol_version: Option<String>,
    /// Port, channel or frequency, e.g. "443/tcp", "2.4 GHz", "USB CDC".
    #[serde(default)]
    pub port: Option<String>,
    /// Data, code and/or commands.
    pub carries: Vec<Payload>,
    /// What exactly travels on it.
    #[serde(default)]
    pub description: Option<Markdown>,
    #[serde(default)]
    pub authentication: Option<Authentication>,
    #[serde(default)]
    pub encryption: Option<Encryption>,
    /// Integrity protection, e.g. "TLS AEAD", "HMAC-SHA256", "ECDSA signature".
    #[serde(default)]
    pub integrity: Option<String>,
    /// Session set-up, keep-alive, time-out and teardown (Appendix 2.B item 15).
    #[serde(default)]
    pub session: Option<Markdown>,
    /// Behaviour when the path fails mid-transfer (Appendix 2.B item 8).
    #[serde(default)]
    pub on_failure: Option<Markdown>,
    /// Hand-off to or from another path and how integrity is kept across it (Appendix 2.B item 7).
    #[serde(default)]
    pub handoff: Option<Markdown>,
    /// Approved endpoints on the far side, for the customer ports table (§VI.A item 3).
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// The interface exists but carries nothing in normal use.
    #[serde(default)]
    pub unused: bool,
}

/// A trust boundary: a group of components that trust each other more than the rest.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Boundary {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Components inside the boundary.
    pub components: Vec<Ref>,
}

/// What an asset is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    Data,
    Function,
    Credential,
    Key,
    Software,
    Configuration,
    Hardware,
}

/// Something worth protecting.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Asset {
    pub id: Id,
    pub name: String,
    pub kind: AssetKind,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Components that hold or perform it.
    #[serde(default)]
    pub held_by: Vec<Ref>,
    /// Its compromise could harm a patient.
    #[serde(default)]
    pub safety_relevant: bool,
}

/// The four kinds of architecture view (§V.B.2).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ViewKind {
    Global,
    MultiPatient,
    Updatability,
    UseCase,
}

impl ViewKind {
    pub const ALL: [ViewKind; 4] = [
        ViewKind::Global,
        ViewKind::MultiPatient,
        ViewKind::Updatability,
        ViewKind::UseCase,
    ];

    /// The catalog entry for this kind of view.
    pub fn catalog_id(self) -> &'static str {
        match self {
            ViewKind::Global => "VIEW-GLOBAL",
            ViewKind::MultiPatient => "VIEW-MULTIPATIENT",
            ViewKind::Updatability => "VIEW-UPDATE",
            ViewKind::UseCase => "VIEW-USECASE",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ViewKind::Global => "Global system view",
            ViewKind::MultiPatient => "Multi-patient harm view",
            ViewKind::Updatability => "Updatability/patchability view",
            ViewKind::UseCase => "Security use case view",
        }
    }
}

/// Diagram notations the guidance accepts (Appendix 2.A).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DiagramKind {
    DataFlow,
    State,
    SwimLane,
    CallFlow,
}

/// A diagram of a view.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Diagram {
    pub kind: DiagramKind,
    /// An image or diagram source in the project (relative path), copied into the package.
    #[serde(default)]
    pub file: Option<Located<String>>,
    /// Caption.
    #[serde(default)]
    pub caption: Option<String>,
}

/// An architecture view: a diagram plus text (§V.B.2).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct View {
    pub id: Id,
    pub kind: ViewKind,
    pub title: String,
    pub description: Markdown,
    #[serde(default)]
    pub diagram: Option<Diagram>,
    /// Components shown in the view.
    #[serde(default)]
    pub components: Vec<Ref>,
    /// Flows shown in the view.
    #[serde(default)]
    pub flows: Vec<Ref>,
    /// Step-by-step protocol description of the use case (Appendix 2.A).
    #[serde(default)]
    pub steps: Vec<Markdown>,
    /// Operational and clinical states covered (power-on, programming, therapy, ...).
    #[serde(default)]
    pub states: Vec<String>,
}
