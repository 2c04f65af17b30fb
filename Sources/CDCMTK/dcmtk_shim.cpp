// Calls into DCMTK for Darkroom's DICOM module. No logic lives here: see include/CDCMTK.h.

#include "CDCMTK.h"

#include <cstring>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcjson.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

struct dr_dicom {
    DcmFileFormat format;
};

static void copy_message(const char *message, char *error, size_t capacity) {
    if (error == nullptr || capacity == 0) return;
    std::strncpy(error, message, capacity - 1);
    error[capacity - 1] = '\0';
}

static long copy_text(const OFString &text, char *buffer, size_t capacity) {
    if (buffer != nullptr && capacity > 0) {
        size_t count = text.length() < capacity - 1 ? text.length() : capacity - 1;
        std::memcpy(buffer, text.c_str(), count);
        buffer[count] = '\0';
    }
    return static_cast<long>(text.length());
}

/// The decoders, registered once; the toolkit's log kept quiet (Darkroom reports failures).
static void prepare() {
    static const bool ready = [] {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        return true;
    }();
    (void)ready;
}

extern "C" dr_dicom *dr_dicom_read(const void *bytes, size_t length, char *error, size_t error_capacity) {
    prepare();
    dr_dicom *file = new (std::nothrow) dr_dicom();
    if (file == nullptr) {
        copy_message("out of memory", error, error_capacity);
        return nullptr;
    }
    DcmInputBufferStream stream;
    stream.setBuffer(bytes, static_cast<offile_off_t>(length));
    stream.setEos();
    file->format.transferInit();
    const OFCondition status = file->format.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
    file->format.transferEnd();
    if (status.bad()) {
        copy_message(status.text(), error, error_capacity);
        delete file;
        return nullptr;
    }
    return file;
}

extern "C" void dr_dicom_free(dr_dicom *file) { delete file; }

extern "C" int dr_dicom_dictionary_loaded(void) { return dcmDataDict.isDictionaryLoaded() ? 1 : 0; }

extern "C" void dr_dicom_geometry_of(const dr_dicom *file, dr_dicom_geometry *out) {
    std::memset(out, 0, sizeof(*out));
    DcmDataset *set = const_cast<dr_dicom *>(file)->format.getDataset();
    set->findAndGetUint16(DCM_Columns, out->columns);
    set->findAndGetUint16(DCM_Rows, out->rows);
    set->findAndGetUint16(DCM_SamplesPerPixel, out->samples_per_pixel);
    set->findAndGetUint16(DCM_BitsAllocated, out->bits_allocated);
    set->findAndGetUint16(DCM_BitsStored, out->bits_stored);
    set->findAndGetUint16(DCM_PixelRepresentation, out->pixel_representation);
    set->findAndGetUint16(DCM_PlanarConfiguration, out->planar_configuration);
    Sint32 frames = 1;
    if (set->findAndGetSint32(DCM_NumberOfFrames, frames).bad()) frames = 1;
    out->frames = frames;
    out->has_pixel_data = set->tagExists(DCM_PixelData) ? 1 : 0;
}

extern "C" long dr_dicom_string(const dr_dicom *file, uint16_t group, uint16_t element, char *buffer, size_t capacity) {
    DcmDataset *set = const_cast<dr_dicom *>(file)->format.getDataset();
    OFString value;
    if (set->findAndGetOFStringArray(DcmTagKey(group, element), value).bad()) return -1;
    return copy_text(value, buffer, capacity);
}

/// The 16-bit values of `item`'s element (group, element), copied into `out`; -1 when absent.
static long copy_uint16s(DcmItem *item, uint16_t group, uint16_t element, uint16_t *out, size_t capacity) {
    DcmElement *found = nullptr;
    if (item->findAndGetElement(DcmTagKey(group, element), found).bad() || found == nullptr) return -1;
    Uint16 *values = nullptr;
    if (found->getUint16Array(values).bad() || values == nullptr) return -1;
    const size_t count = found->getLength() / sizeof(Uint16);
    std::memcpy(out, values, (count < capacity ? count : capacity) * sizeof(Uint16));
    return static_cast<long>(count);
}

extern "C" long dr_dicom_uint16s(const dr_dicom *file, uint16_t group, uint16_t element, uint16_t *out, size_t capacity) {
    DcmDataset *set = const_cast<dr_dicom *>(file)->format.getDataset();
    return copy_uint16s(set, group, element, out, capacity);
}

extern "C" long dr_dicom_item_uint16s(const dr_dicom *file, uint16_t sequence_group, uint16_t sequence_element, uint16_t group,
                                      uint16_t element, uint16_t *out, size_t capacity) {
    DcmDataset *set = const_cast<dr_dicom *>(file)->format.getDataset();
    DcmItem *item = nullptr;
    if (set->findAndGetSequenceItem(DcmTagKey(sequence_group, sequence_element), item, 0).bad() || item == nullptr) return -1;
    return copy_uint16s(item, group, element, out, capacity);
}

extern "C" long dr_dicom_transfer_syntax(const dr_dicom *file, char *buffer, size_t capacity) {
    DcmXfer syntax(const_cast<dr_dicom *>(file)->format.getDataset()->getOriginalXfer());
    return copy_text(OFString(syntax.getXferID()), buffer, capacity);
}

/// The Pixel Data element's bytes when they are native (read so, or decoded), else null.
static const Uint8 *native_pixels(const dr_dicom *file, unsigned long *length) {
    DcmDataset *set = const_cast<dr_dicom *>(file)->format.getDataset();
    DcmElement *found = nullptr;
    if (set->findAndGetElement(DCM_PixelData, found).bad() || found == nullptr) return nullptr;
    DcmPixelData *pixels = OFstatic_cast(DcmPixelData *, found);
    E_TransferSyntax representation = EXS_Unknown;
    const DcmRepresentationParameter *parameter = nullptr;
    pixels->getCurrentRepresentationKey(representation, parameter);
    if (DcmXfer(representation).isEncapsulated()) return nullptr;
    Uint8 *bytes = nullptr;
    if (found->getUint8Array(bytes).bad() || bytes == nullptr) return nullptr;
    *length = found->getLength();
    return bytes;
}

extern "C" long dr_dicom_pixel_data_length(const dr_dicom *file) {
    unsigned long length = 0;
    return native_pixels(file, &length) ? static_cast<long>(length) : -1;
}

extern "C" int dr_dicom_decode(dr_dicom *file, char *error, size_t error_capacity) {
    DcmDataset *set = file->format.getDataset();
    const OFCondition status = set->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    unsigned long length = 0;
    if (status.bad() || native_pixels(file, &length) == nullptr) {
        copy_message(status.bad() ? status.text() : "no decoder for this transfer syntax", error, error_capacity);
        return 0;
    }
    return 1;
}

extern "C" const void *dr_dicom_pixel_pointer(const dr_dicom *file, size_t *length) {
    unsigned long count = 0;
    const Uint8 *bytes = native_pixels(file, &count);
    *length = bytes ? count : 0;
    return bytes;
}

extern "C" int dr_dicom_pixel_bytes(const dr_dicom *file, size_t offset, size_t count, void *out) {
    unsigned long length = 0;
    const Uint8 *bytes = native_pixels(file, &length);
    if (bytes == nullptr || offset > length || count > length - offset) return 0;
    std::memcpy(out, bytes + offset, count);
    return 1;
}

namespace {
/// One answer of the visitor, applied once the walk is over.
struct Edit {
    DcmItem *parent;
    DcmTagKey tag;
    int action;
    std::string replacement;
};
}  // namespace

extern "C" int dr_dicom_edit(dr_dicom *file, dr_dicom_visitor visitor, void *context, char *error, size_t error_capacity) {
    DcmDataset *set = file->format.getDataset();
    DcmStack stack;
    std::vector<Edit> edits;
    std::vector<char> replacement(1024);
    while (set->nextObject(stack, OFTrue).good()) {
        DcmObject *object = stack.top();
        if (object == nullptr || object->ident() == EVR_item || object->ident() == EVR_dataset) continue;
        DcmItem *parent = stack.card() > 1 ? OFdynamic_cast(DcmItem *, stack.elem(1)) : nullptr;
        if (parent == nullptr) continue;
        DcmElement *element = OFstatic_cast(DcmElement *, object);
        const DcmVR vr(element->ident());
        OFString value;
        const bool text = !element->isLeaf() ? false :
            !(vr.getEVR() == EVR_OB || vr.getEVR() == EVR_OW || vr.getEVR() == EVR_OF || vr.getEVR() == EVR_OD ||
              vr.getEVR() == EVR_OL || vr.getEVR() == EVR_OV || vr.getEVR() == EVR_UN || vr.getEVR() == EVR_pixelSQ ||
              vr.getEVR() == EVR_ox || vr.getEVR() == EVR_px);
        if (text) element->getOFStringArray(value);
        // Depth: each sequence and item on the way down adds two stack entries.
        const int depth = static_cast<int>((stack.card() - 2) / 2);
        replacement[0] = '\0';
        const int action = visitor(context, depth, element->getGTag(), element->getETag(), vr.getVRName(), value.c_str(),
                                   replacement.data(), replacement.size());
        if (action != DR_DICOM_KEEP) edits.push_back({parent, element->getTag(), action, std::string(replacement.data())});
    }
    for (auto edit = edits.rbegin(); edit != edits.rend(); ++edit) {
        OFCondition status = EC_Normal;
        switch (edit->action) {
        case DR_DICOM_REMOVE: status = edit->parent->findAndDeleteElement(edit->tag); break;
        case DR_DICOM_REPLACE: status = edit->parent->putAndInsertString(edit->tag, edit->replacement.c_str()); break;
        case DR_DICOM_EMPTY: status = edit->parent->insertEmptyElement(edit->tag, OFTrue); break;
        default: break;
        }
        if (status.bad()) {
            copy_message(status.text(), error, error_capacity);
            return 0;
        }
    }
    return 1;
}

extern "C" int dr_dicom_put_string(dr_dicom *file, uint16_t group, uint16_t element, const char *value) {
    return file->format.getDataset()->putAndInsertString(DcmTagKey(group, element), value).good() ? 1 : 0;
}

extern "C" int dr_dicom_save(dr_dicom *file, const char *path, char *error, size_t error_capacity) {
    const OFCondition status = file->format.saveFile(OFFilename(path), EXS_Unknown, EET_ExplicitLength, EGL_recalcGL,
                                                     EPD_noChange, 0, 0, EWM_updateMeta);
    if (status.bad()) {
        copy_message(status.text(), error, error_capacity);
        return 0;
    }
    return 1;
}

extern "C" long dr_dicom_json(const dr_dicom *file, const uint16_t *excluded, size_t count, char *buffer, size_t capacity) {
    DcmDataset *set = const_cast<dr_dicom *>(file)->format.getDataset();
    // Pixel Data is taken out while the rest is copied, so the copy stays small, then put back.
    DcmElement *pixels = set->remove(DCM_PixelData);
    DcmDataset copy(*set);
    if (pixels != nullptr) set->insert(pixels, OFTrue);
    for (size_t index = 0; index < count; index++) copy.findAndDeleteElement(DcmTagKey(excluded[2 * index], excluded[2 * index + 1]));
    std::ostringstream json;
    DcmJsonFormatCompact format(OFFalse);
    // writeJson leaves the braces out; the Ext form writes one object.
    if (copy.writeJsonExt(json, format, OFTrue, OFFalse).bad()) return -1;
    return copy_text(OFString(json.str().c_str()), buffer, capacity);
}
