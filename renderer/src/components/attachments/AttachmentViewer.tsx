// The attachment viewer: the page (react-pdf for PDFs, page images for TIFF/JPEG/PNG and for sanitised copies)
// with page navigation and zoom; beside it the page's text with search terms highlighted, the fields suggested
// from the text (each shown where it sits on the page, and added to the form only when a person clicks), and,
// when the scan reveals its writer, the flag, the move into the restricted pane and the sanitised copy.
// Deep links: #/allegation/REF?tab=attachments&attachment=ID&page=N[&q=terms] open it on that page.
import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Card, Grid, Group, Modal, Radio, SegmentedControl, Stack, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core';
import {
  IconArrowLeft,
  IconArrowRight,
  IconDownload,
  IconPlus,
  IconRefresh,
  IconShieldExclamation,
  IconSquareCheck,
  IconX,
  IconZoomIn,
  IconZoomOut,
  IconZoomReset,
} from '@tabler/icons-react';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import type { AttachmentDetail, SuggestionView, WriterAs } from '../../../../shared/api/attachments.ts';
import { SUGGESTION_LABELS, suggestionOnForm } from '../../../../shared/attachments/rules.ts';
import { SuggestionDecision, SuggestionValue } from './SuggestionValue.tsx';
import { call, CallError } from '../../api/client.ts';
import { useCall } from '../../api/useCall.ts';
import { formatDateTime, plural } from '../../format.ts';
import { navigate } from '../../router.ts';
import { readWhole, saveFile } from './files.ts';
import { Highlighted, highlightTerms, ImagePage, Overlay, PdfPage } from './AttachmentPage.tsx';
import { useAddToForm } from './useAddToForm.ts';
import { Busy } from '../Busy.tsx';

const REGION_LABELS: Record<AttachmentDetail['source']['regions'][number]['kind'], string> = {
  signature: 'signature block',
  'self-introduction': '“my name is…”',
  'fax-header': 'fax header',
  contact: 'contact details',
  letterhead: 'letterhead',
  'known-source': 'the recorded source’s details',
  'writer-repeat': 'the writer’s details repeated',
};

/** "name, address and phone". */
function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

interface Props {
  attachmentId: string;
  page: number;
  q: string;
  record: AllegationRecord;
}

export function AttachmentViewer({ attachmentId, page: requestedPage, q, record }: Props) {
  const { data: detail, error } = useCall('attachments.get', { id: attachmentId });
  const [zoom, setZoom] = useState(1);
  const [selected, setSelected] = useState<string | null>(null);
  const [wantOriginal, setWantOriginal] = useState(false);
  const [find, setFind] = useState('');
  const [imageFrame, setImageFrame] = useState<{ width: number; height: number } | null>(null);
  const [notice, setNotice] = useState<{ color: string; text: string } | null>(null);
  const [moving, setMoving] = useState(false);
  const [reason, setReason] = useState('');
  const [writerAs, setWriterAs] = useState<WriterAs | null>(null);
  const [busy, setBusy] = useState(false);
  const { adding, addToForm } = useAddToForm(record, attachmentId, (text) => setNotice(text ? { color: 'red', text } : null));

  // Opened from a link (a search hit, the attachments list): bring the viewer into view once.
  const loaded = detail !== undefined;
  useEffect(() => {
    if (loaded) document.getElementById('attachment-viewer')?.scrollIntoView({ block: 'start' });
  }, [attachmentId, loaded]);

  const pageCount = detail?.pages ?? 0;
  const page = Math.max(1, Math.min(requestedPage, pageCount || requestedPage));
  const goTo = (p: number) => navigate({ name: 'allegation', reference: record.reference, tab: 'attachments', place: { attachment: attachmentId, page: p }, q: q || undefined }, { replace: true });
  const close = () => navigate({ name: 'allegation', reference: record.reference }, { replace: true });

  if (error) {
    return (
      <Alert color="red" title="The attachment could not be opened" withCloseButton onClose={close}>
        {error.message}
      </Alert>
    );
  }
  if (!detail) {
    return (
      <Card withBorder>
        <Busy label="Opening the attachment" />
      </Card>
    );
  }

  const pageDetail = detail.pageDetails.find((p) => p.page === page) ?? null;
  // Not yet read: nobody knows whether it names its writer, so it is restricted like the source pane until then.
  const unread = detail.view === 'none' && !detail.revealsSource && detail.hasFile;
  const showOriginal = detail.view === 'original' || (wantOriginal && detail.source.canOpenOriginal);
  const variant: 'original' | 'sanitised' = showOriginal ? 'original' : 'sanitised';
  const pdfOriginal = detail.kind === 'pdf' && variant === 'original';
  const frame = pdfOriginal ? (pageDetail?.width && pageDetail.height ? { width: pageDetail.width, height: pageDetail.height } : null) : imageFrame;
  const chosen = detail.suggestionList.find((s) => s.key === selected) ?? null;
  const suggestionBoxes = chosen && chosen.page === page ? chosen.boxes : [];
  const sourceBoxes = variant === 'original' && detail.revealsSource ? detail.source.regions.filter((r) => r.page === page).flatMap((r) => r.boxes) : [];
  const width = Math.round(640 * zoom);
  const terms = [...highlightTerms(q), ...highlightTerms(find), ...(chosen && chosen.page === page ? [chosen.text] : [])];

  async function retry(pages?: number[]) {
    setNotice(null);
    try {
      const r = await call('attachments.retry', { id: attachmentId, ...(pages ? { pages } : {}) });
      setNotice({ color: 'indigo', text: `Reading ${plural(r.queued.length, 'page')} again…` });
    } catch (e) {
      setNotice({ color: 'red', text: e instanceof CallError ? e.message : String(e) });
    }
  }

  async function moveSource() {
    setBusy(true);
    try {
      const r = await call('attachments.moveSource', { id: attachmentId, reason, ...(writerAs ? { as: writerAs } : {}) });
      setMoving(false);
      setReason('');
      const how = r.as === 'other' ? ' as another person who reported' : r.as === 'same' ? ' as a further contact of the source' : '';
      setNotice({
        color: 'teal',
        text: r.moved.length
          ? `Moved into the restricted source pane${how}: ${r.moved.join(', ')}. The open text, search and the sanitised copy leave them out.`
          : 'The restricted source pane already holds these details; nothing was changed there.',
      });
    } catch (e) {
      setNotice({ color: 'red', text: e instanceof CallError ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  }

  async function reject(s: SuggestionView) {
    setNotice(null);
    try {
      await call('allegations.rejectSuggestion', { id: record.id, from: 'attachment', fromId: attachmentId, key: s.key, reason: '' });
    } catch (e) {
      setNotice({ color: 'red', text: e instanceof CallError ? e.message : String(e) });
    }
  }

  async function exportFile() {
    setNotice(null);
    try {
      const f = await readWhole('attachments.export', attachmentId);
      saveFile(f.bytes, f.mimeType, f.fileName);
    } catch (e) {
      setNotice({ color: 'red', text: e instanceof CallError ? e.message : String(e) });
    }
  }

  const pageArea =
    detail.view === 'none' && !showOriginal ? (
      <Alert color="gray">
        {detail.revealsSource
          ? 'This scan reveals its writer; its sanitised copy is being made and will show here.'
          : unread
            ? `This scan has not been read yet, so it has not been checked for details of its writer: until it has, it opens only to staff allocated to the case and to the National Source Unit${detail.source.canOpenOriginal ? ' (choose "Original (restricted)" above; opening it is audited)' : ''}.`
            : 'No file is held for this attachment.'}
      </Alert>
    ) : pdfOriginal ? (
      <PdfPage id={attachmentId} page={page} width={width}>
        <Overlay boxes={sourceBoxes} frame={frame} kind="source" />
        <Overlay boxes={suggestionBoxes} frame={frame} kind="suggestion" />
      </PdfPage>
    ) : (
      <ImagePage id={attachmentId} page={page} variant={variant} width={width} onFrame={setImageFrame}>
        <Overlay boxes={sourceBoxes} frame={frame} kind="source" />
        <Overlay boxes={suggestionBoxes} frame={frame} kind="suggestion" />
      </ImagePage>
    );

  return (
    <Card withBorder padding="md" radius="sm" component="section" aria-labelledby="viewer-title" id="attachment-viewer">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <div>
          <Title order={3} size="h5" id="viewer-title">
            {detail.fileName}
          </Title>
          <Text size="xs" c="dimmed">
            {detail.kind?.toUpperCase()} · {plural(detail.pages, 'page')} · {detail.ocrStatus === 'done' ? 'read' : detail.ocrStatus === 'failed' ? (detail.error?.message ?? 'could not be read') : `reading: ${detail.pagesDone + detail.pagesFailed} of ${detail.pages} pages done`}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          {(detail.revealsSource || unread) && detail.source.canOpenOriginal && (
            <SegmentedControl
              size="xs"
              value={variant}
              onChange={(v) => setWantOriginal(v === 'original')}
              data={[
                { value: 'sanitised', label: unread ? 'Not shown' : 'Sanitised copy' },
                { value: 'original', label: 'Original (restricted)' },
              ]}
              aria-label="Which copy to show"
            />
          )}
          <Tooltip label={detail.export.allowed ? (detail.export.sanitised ? 'Export the sanitised copy (the original stays restricted)' : 'Export the file') : (detail.export.reason ?? '')}>
            <Button size="compact-sm" variant="default" leftSection={<IconDownload size={14} />} disabled={!detail.export.allowed} onClick={() => void exportFile()}>
              {detail.export.sanitised ? 'Export sanitised copy' : 'Export'}
            </Button>
          </Tooltip>
          <ActionIcon variant="subtle" color="gray" onClick={close} aria-label="Close the viewer">
            <IconX size={18} />
          </ActionIcon>
        </Group>
      </Group>
      {notice && (
        <Alert color={notice.color} mb="sm" p="xs" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice.text}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Group justify="space-between" mb="xs">
            <Group gap={4}>
              <ActionIcon variant="default" onClick={() => goTo(page - 1)} disabled={page <= 1} aria-label="Previous page">
                <IconArrowLeft size={16} />
              </ActionIcon>
              <Text size="sm" px={6} aria-live="polite" data-testid="page-indicator">
                Page {page} of {pageCount || '…'}
              </Text>
              <ActionIcon variant="default" onClick={() => goTo(page + 1)} disabled={!pageCount || page >= pageCount} aria-label="Next page">
                <IconArrowRight size={16} />
              </ActionIcon>
            </Group>
            <Group gap={4}>
              <ActionIcon variant="default" onClick={() => setZoom((z) => Math.max(0.5, Math.round((z - 0.25) * 100) / 100))} aria-label="Zoom out">
                <IconZoomOut size={16} />
              </ActionIcon>
              <Text size="xs" w={42} ta="center">
                {Math.round(zoom * 100)}%
              </Text>
              <ActionIcon variant="default" onClick={() => setZoom((z) => Math.min(3, Math.round((z + 0.25) * 100) / 100))} aria-label="Zoom in">
                <IconZoomIn size={16} />
              </ActionIcon>
              <ActionIcon variant="default" onClick={() => setZoom(1)} aria-label="Fit to width">
                <IconZoomReset size={16} />
              </ActionIcon>
            </Group>
          </Group>
          {/* Focusable, so that a keyboard can scroll a zoomed page. */}
          <div className="page-scroller" tabIndex={0} role="region" aria-label={`Page ${page} of ${detail.fileName}`} style={{ height: '72vh', overflow: 'auto', padding: 8 }}>
            {pageArea}
          </div>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            {detail.revealsSource && (
              <Alert color="orange" variant="light" icon={<IconShieldExclamation size={18} />} title="This scan reveals who sent it" p="sm">
                <Stack gap={6}>
                  <Text size="sm">
                    {detail.source.regions.length
                      ? `Where: ${[...new Set(detail.source.regions.map((r) => `page ${r.page}, ${REGION_LABELS[r.kind]}${r.reveals.length ? ` (${r.reveals.join(', ')})` : ''}`))].join('; ')}.`
                      : 'Details of the writer appear on it.'}{' '}
                    They are withheld from the text below and from search; the sanitised copy blacks them out, and only that copy is exported.
                    {detail.source.canOpenOriginal ? ' You may open the original (audited).' : ' The original is open only to staff allocated to the case and the National Source Unit.'}
                  </Text>
                  {detail.source.movedAt ? (
                    <Text size="xs" c="dimmed">
                      Moved into the restricted source pane {formatDateTime(detail.source.movedAt)} by {detail.source.movedBy}.
                    </Text>
                  ) : (
                    detail.source.offer && (
                      <>
                        <Text size="sm" fw={600} data-testid="writer-offer">
                          Offered for the restricted pane: the writer’s {listWords(detail.source.offer.fields)}
                          {detail.source.hasSource ? ' (this allegation already has a source: you choose whether the writer is that person or another)' : ''}.
                        </Text>
                        <Group>
                          <Button size="compact-sm" color="orange" variant="light" onClick={() => setMoving(true)}>
                            Move the details into the restricted pane
                          </Button>
                        </Group>
                      </>
                    )
                  )}
                </Stack>
              </Alert>
            )}
            <Box>
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={600} id="page-text-label">
                  Text of page {page}
                  {pageDetail?.method === 'text_layer' ? ' (from the PDF’s text)' : pageDetail?.confidence != null ? ` (OCR, ${Math.round(pageDetail.confidence)}% confidence)` : ''}
                </Text>
                <TextInput size="xs" placeholder="Highlight words" value={find} onChange={(e) => setFind(e.currentTarget.value)} aria-label="Highlight words in the page text" w={170} />
              </Group>
              {pageDetail?.status === 'failed' ? (
                <Alert color="red" p="xs" title={`Page ${page} could not be read`}>
                  <Text size="sm">{pageDetail.error?.message}</Text>
                  <Button mt={6} size="compact-sm" variant="light" color="red" leftSection={<IconRefresh size={14} />} onClick={() => void retry([page])}>
                    Retry this page
                  </Button>
                </Alert>
              ) : !pageDetail || pageDetail.status === 'pending' || pageDetail.status === 'running' ? (
                <Text size="sm" c="dimmed">
                  Not read yet.
                </Text>
              ) : (
                <Box className="attachment-text" tabIndex={0} aria-labelledby="page-text-label" data-testid="page-text">
                  <Highlighted text={pageDetail.text || '(no text found on this page)'} terms={terms} />
                </Box>
              )}
            </Box>
            <Box>
              <Text size="sm" fw={600} mb={4} id="suggestions-label">
                Suggested fields {detail.suggestionList.length ? `(${detail.suggestionList.length})` : ''}
              </Text>
              {detail.suggestionList.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {detail.ocrStatus === 'done' ? 'Nothing to suggest from this attachment.' : 'Suggestions appear as the pages are read.'}
                </Text>
              ) : (
                <Stack gap={4} role="list" aria-labelledby="suggestions-label">
                  {detail.suggestionList.map((s) => {
                    const onForm = suggestionOnForm(record, s);
                    return (
                      <Group key={s.key} justify="space-between" wrap="nowrap" role="listitem" className={selected === s.key ? 'suggestion selected' : 'suggestion'} data-testid={`suggestion-${s.kind}-${s.value}`}>
                        <Box style={{ minWidth: 0, flex: 1 }}>
                          <SuggestionValue s={s} />
                          <Text size="xs" c="dimmed">
                            page {s.page} · {s.cue}
                            {s.dateText ? ` · “${s.dateText}”` : ''}
                            {s.role && s.kind === 'name' ? ` · ${s.role}` : ''}
                          </Text>
                          <SuggestionDecision s={s} where={`page ${s.page}`} />
                        </Box>
                        <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => {
                              setSelected(s.key);
                              if (s.page !== page) goTo(s.page);
                            }}
                            aria-label={`Show ${SUGGESTION_LABELS[s.kind].toLowerCase()} ${s.value} on page ${s.page}`}
                          >
                            Show
                          </Button>
                          {onForm ? (
                            <Badge size="sm" color="teal" variant="light" leftSection={<IconSquareCheck size={12} />}>
                              on the form
                            </Badge>
                          ) : (
                            <>
                              <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} loading={busy || adding} onClick={() => void addToForm(s, detail.fileName)} aria-label={`Add ${SUGGESTION_LABELS[s.kind].toLowerCase()} ${s.value} to the form`}>
                                Add to form
                              </Button>
                              {s.decision?.decision !== 'rejected' && (
                                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void reject(s)} aria-label={`Reject ${SUGGESTION_LABELS[s.kind].toLowerCase()} ${s.value}`}>
                                  Reject
                                </Button>
                              )}
                            </>
                          )}
                        </Group>
                      </Group>
                    );
                  })}
                </Stack>
              )}
            </Box>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={moving} onClose={() => setMoving(false)} title="Move the writer’s details into the restricted pane">
        <Stack>
          <Text size="sm">
            What the scan shows of its writer ({listWords(detail.source.offer?.fields ?? [])}) goes into the restricted source pane. You will not be shown the details; the move is audited.
          </Text>
          {detail.source.hasSource && (
            <Radio.Group label="This allegation already has a source. Who wrote this?" value={writerAs ?? ''} onChange={(v) => setWriterAs(v as WriterAs)} required>
              <Stack gap={6} mt={6}>
                <Radio value="same" label="The same person: fill what the pane lacks, keep details that differ as a further contact of theirs, and log the letter as a contact from them" />
                <Radio value="other" label="Someone else: record the writer beside the source as another person who reported" />
              </Stack>
            </Radio.Group>
          )}
          <Textarea label="Why" description="For the audit trail (at least 5 characters)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setMoving(false)}>
              Cancel
            </Button>
            <Button color="orange" loading={busy || adding} disabled={reason.trim().length < 5 || (detail.source.hasSource && !writerAs)} onClick={() => void moveSource()}>
              Move into the pane
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
