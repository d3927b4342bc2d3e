"""Request bodies are counted as they stream in: an uploaded file past settings.UPLOAD_MAX_BYTES is dropped at once.
What arrived of it is discarded (Django deletes its temporary file), nothing is stored, and the request is marked so
the page and the API can say why."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# Multipart framing and the other fields around a file.
FORM_OVERHEAD = 64 * 1024


def too_large_message() -> str:
    limit = settings.UPLOAD_MAX_BYTES
    size = f"{limit / 1024 / 1024:.0f} MB" if limit >= 1024 * 1024 else f"{limit / 1024:.0f} KB"
    return f"文件超过 {size} 的上限，已拒收，未保存任何内容：请删除多余的工作表或分批上传。"


class UploadSizeLimit(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length
        self.request.upload_too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if (self.content_length or 0) > settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD:  # the client said so up front
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file

    def _refuse(self):
        self.request.upload_too_large = True
        raise SkipFile
