with

source as (
  select * from {{ source('crm_stage') }}
),

ranked as (
  select
    *,
    row_number() over (
      partition by id
      order by {{ d.odooDatetime('write_date') }} desc, _lake_key desc
    ) as write_rank
  from source
),

latest as (
  select * from ranked
  where write_rank = 1
),

renamed as (
  select
    id as etape_id,
    {{ d.odooText('name') }} as nom,
    sequence as ordre,
    fold as est_repliee,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
)

select * from renamed
