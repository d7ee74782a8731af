with

latest as (
  {{ latest_records(source('ir_attachment')) }}
),

selection_label as (
  select * from {{ ref('raw_odoo_selection_label') }}
  where model = 'ir.attachment'
),

renamed as (
  select
    id as attachment_id,
    {{ d.odooText('name') }} as nom_piece_jointe,
    {{ d.odooText('res_model') }} as res_model,
    -- res_id is an integer field: 0 means "attached to no record"
    nullif(res_id, 0) as lead_id,
    {{ d.odooText('type') }} as type_piece_jointe_code,
    {{ d.odooText('url') }} as url,
    {{ d.odooText('mimetype') }} as mimetype,
    file_size as taille_octets,
    {{ d.odooDatetime('create_date') }} as date_creation,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
),

labelled as (
  select
    renamed.attachment_id,
    renamed.nom_piece_jointe,
    renamed.res_model,
    renamed.lead_id,
    coalesce(type_label.label, renamed.type_piece_jointe_code) as type_piece_jointe,
    renamed.type_piece_jointe_code,
    renamed.url,
    renamed.mimetype,
    renamed.taille_octets,
    renamed.date_creation,
    renamed.date_modification
  from renamed
  left join selection_label as type_label
    on type_label.field = 'type'
    and type_label.key = renamed.type_piece_jointe_code
)

select * from labelled
